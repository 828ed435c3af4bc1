/**
 * Evaluation of generated images in the feature space of a small classifier trained on the dataset
 * itself (Inception-v3 is unavailable offline and meaningless for 28×28 grayscale): Fréchet
 * distance (Heusel et al. 2017), KID (Bińkowski et al. 2018), improved precision and recall
 * (Kynkäänniemi et al. 2019) and the predicted-class histogram, each printed beside its
 * real-vs-real floor.
 *
 * <p>The metrics ({@link org.convmirror.internal.eval.FrechetDistance}, {@link
 * org.convmirror.internal.eval.KernelInceptionDistance}, {@link
 * org.convmirror.internal.eval.PrecisionRecall}, {@link
 * org.convmirror.internal.eval.ClassHistogram}) are plain Java on {@code double[][]} features; only
 * {@link org.convmirror.internal.eval.FeatureClassifier} touches DJL.
 */
package org.convmirror.internal.eval;
