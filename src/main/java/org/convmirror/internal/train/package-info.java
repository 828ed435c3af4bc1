/**
 * The one training loop, engine-free: epochs and resume ("N more epochs"), iteration accounting,
 * progress, the per-iteration and per-epoch CSVs, checkpoint cadence and retention, the divergence
 * guard, evaluation with the best checkpoint kept by its score, and the run's randomness policy.
 *
 * <p>What is trained — a GAN, a VAE — is an {@link org.convmirror.internal.train.Objective}: its
 * networks, its step, its checkpoint files, its pictures and its sampler. Nothing here imports the
 * engine.
 */
package org.convmirror.internal.train;
