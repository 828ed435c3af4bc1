/**
 * The only package that touches Deep Java Library: blocks and functional ops that DJL's PyTorch
 * engine lacks (transposed convolution, spectral normalisation, exact-size nearest upsampling) and
 * DCGAN initialisation; the Adam optimiser; whole-network updates fused into one engine call.
 *
 * <p>Every op here is built from differentiable PyTorch-engine primitives, and does its per-call
 * temporaries in a sub-manager so that nothing accumulates in a model's {@code NDManager}. What DJL
 * does not expose (libtorch's transposed convolution, its fused Adam kernel) is reached through
 * small TorchScript modules shipped as resources, each made by a script in {@code tools/}.
 */
package org.convmirror.nn;
