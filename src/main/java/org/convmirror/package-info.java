/**
 * The library's front door: {@link org.convmirror.Training} trains a GAN or a VAE into a run
 * directory, {@link org.convmirror.TrainedModel} opens a finished run to draw {@link
 * org.convmirror.Images}. The settings are in {@link org.convmirror.options}, the model's
 * description in {@link org.convmirror.spec}, its mirror in {@link org.convmirror.mirror} and its
 * sizes in {@link org.convmirror.shape}.
 *
 * <p>This package stands on top: nothing in the code base imports it. Everything it does is done by
 * {@code org.convmirror.internal}, whose types are public only because Java without modules needs
 * them so across packages; they are not part of the API and may change.
 */
package org.convmirror;
