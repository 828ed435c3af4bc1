/**
 * The only package that touches Deep Java Library: blocks and functional ops that DJL's PyTorch
 * engine lacks (transposed convolution, spectral normalisation, exact-size nearest upsampling),
 * DCGAN initialisation, and the GAN objective's engine-level pieces: standing batch-norm
 * statistics, gradient penalties by double backward, differentiable augmentation.
 *
 * <p>Every op here is built from differentiable PyTorch-engine primitives, and does its per-call
 * temporaries in a sub-manager so that nothing accumulates in a model's {@code NDManager}.
 */
package org.convmirror.nn;
