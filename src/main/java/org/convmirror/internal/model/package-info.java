/**
 * The one home of a trained model. {@link org.convmirror.internal.model.ModelFamily} (a GAN or a
 * VAE) knows a model's networks: their names in a checkpoint, how each is built and initialised,
 * which can be exported, and the objective that trains them. {@link
 * org.convmirror.internal.model.SavedModel} is the one loader: it opens a run or a checkpoint,
 * verifies it, loads the networks and prepares them for inference; {@link
 * org.convmirror.internal.model.LoadedModel} draws images. Sampling, export, import, Spark and the
 * benchmarks all come here; none of them builds a network or spells a checkpoint name.
 */
package org.convmirror.internal.model;
