/**
 * {@code convmirror bench}: training throughput of a model on synthetic in-memory data, its useful
 * GFLOP/s beside the same machine's large-matrix-multiply GFLOP/s, resident memory, and a per-layer
 * comparison of our transposed convolution with libtorch's native convolution kernels.
 */
package org.convmirror.internal.bench;
