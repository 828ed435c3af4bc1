/**
 * Image data for training: IDX files (the MNIST family), folders of PNG/JPEG images, seeded
 * synthetic shapes, and a prefetching mini-batch loader with random flips — plain Java, no engine.
 *
 * <p>Every dataset is an {@link org.convmirror.internal.data.ImageSet} read as floats in [-1, 1]
 * one image at a time, whatever holds the pixels: a float array, an IDX file's bytes, or an image
 * folder decoded once into an {@link org.convmirror.internal.data.ImageCache} file and
 * memory-mapped. Every bad input is one {@link org.convmirror.internal.data.DataException} line
 * naming the file and the fix; unusable files in an image folder are skipped with one warning line,
 * or refuse the folder under {@code --strict}.
 */
package org.convmirror.internal.data;
