/**
 * Image data for training: IDX files (the MNIST family), folders of PNG/JPEG images, seeded
 * synthetic shapes, and a prefetching mini-batch loader — plain Java, no engine.
 *
 * <p>Every dataset is an {@link org.convmirror.internal.data.ImageSet} of floats in [-1, 1]; every
 * bad input is one {@link org.convmirror.internal.data.DataException} line naming the file and the
 * fix.
 */
package org.convmirror.internal.data;
