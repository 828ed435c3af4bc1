package org.convmirror.internal.data;

/**
 * One mini-batch: {@code size} images as N×C×H×W floats in [-1, 1], their labels (null when the
 * data has none), and where it sits in training: batch {@code index} of {@code epoch}.
 *
 * <p>The arrays belong to the receiver; the loader never touches them again.
 */
public record Batch(float[] pixels, int[] labels, int size, int epoch, int index) {}
