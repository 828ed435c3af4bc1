/**
 * Convolutional variational auto-encoders (Kingma &amp; Welling 2014, arXiv:1312.6114): the
 * declared encoder with mean and log-variance heads, the mirrored decoder, the negative ELBO in
 * nats per image, training runs, and sampling and reconstruction from a finished run.
 */
package org.convmirror.internal.vae;
