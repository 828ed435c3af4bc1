/**
 * Adversarial training (Goodfellow et al. 2014, arXiv:1406.2661) of a declared discriminator and
 * its mirrored generator, as the training loop's objective: the networks as the model's family
 * built them ({@link org.convmirror.internal.gan.GanNetworks}), one iteration ({@link
 * org.convmirror.internal.gan.GanStep}: discriminator steps, generator step, weight average), the
 * losses' arithmetic, the rules that tell a diverged run, and drawing images with standing
 * batch-norm statistics ({@link org.convmirror.internal.gan.GanSampler}).
 */
package org.convmirror.internal.gan;
