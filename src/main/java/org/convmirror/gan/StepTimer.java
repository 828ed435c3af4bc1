package org.convmirror.gan;

/**
 * Receives the wall time of each phase of a {@link GanTrainer#step} iteration, for {@code
 * convmirror bench}. On the CPU every libtorch op completes before it returns, and each phase ends
 * in a read of a scalar ({@code getFloat}) or an in-place optimiser update, so the split is honest.
 */
public interface StepTimer {

  /** The phases of one iteration, in the order they run. */
  enum Phase {
    /** Real batch copied into libtorch, latent noise drawn. */
    DATA,
    /** The generator's forward pass G(z). */
    G_FORWARD,
    /** The discriminator step: D on real and on detached fake, loss, backward through D. */
    D_STEP,
    /** The generator step: D on fake again, loss, backward through D and G. */
    G_STEP,
    /** Both Adam updates and clearing D's gradients left by the generator step. */
    OPTIMIZER
  }

  /** Adds {@code nanos} to {@code phase}. */
  void record(Phase phase, long nanos);

  /** Records nothing. */
  StepTimer NONE = (phase, nanos) -> {};
}
