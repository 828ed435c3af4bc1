/**
 * The engine layer: every Deep Java Library block the models are built from, including the ones
 * DJL's PyTorch engine lacks (transposed convolution, spectral normalisation, exact-size nearest
 * upsampling), DCGAN initialisation, the Adam optimizer and whole-network updates fused into one
 * engine call, checkpoint files of blocks and arrays, engine setup, and the GAN objective's
 * engine-level pieces: standing batch-norm statistics, gradient penalties by double backward,
 * differentiable augmentation.
 *
 * <p>DJL is used here and in the layers that must call the engine: the objectives ({@code gan},
 * {@code vae}), the feature classifier ({@code eval}), {@code export} (reading weights out of
 * blocks), {@code spark}'s tasks, {@code bench}, the public API ({@code org.convmirror}) and the
 * command line. {@code spec}, {@code shape}, {@code mirror}, {@code config}, {@code data}, {@code
 * run} and the training loop ({@code train}) never touch it.
 *
 * <p>Every op here is built from differentiable PyTorch-engine primitives, and does its per-call
 * temporaries in a sub-manager so that nothing accumulates in a model's {@code NDManager}. What DJL
 * does not expose (libtorch's transposed convolution, its fused Adam kernel) is reached through
 * small TorchScript modules shipped as resources, each made by a script in {@code tools/}.
 */
package org.convmirror.internal.nn;
