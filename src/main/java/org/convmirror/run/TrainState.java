package org.convmirror.run;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a training run stands, saved in every checkpoint.
 *
 * @param epoch the epoch in progress (0-based); equal to the epochs done at an epoch's end
 * @param batch batches of {@code epoch} already consumed
 * @param iteration training iterations done
 * @param images images seen
 * @param seconds training time so far
 * @param generatorSteps Adam steps of the generator (or the VAE)
 * @param discriminatorSteps Adam steps of the discriminator (0 for a VAE)
 */
public record TrainState(
    int epoch,
    int batch,
    long iteration,
    long images,
    double seconds,
    @JsonProperty("generator_steps") long generatorSteps,
    @JsonProperty("discriminator_steps") long discriminatorSteps) {

  /** The position at the start of the next epoch: everything counted so far, no batch consumed. */
  public TrainState nextEpoch() {
    return new TrainState(
        epoch + 1, 0, iteration, images, seconds, generatorSteps, discriminatorSteps);
  }

  public static TrainState start() {
    return new TrainState(0, 0, 0, 0, 0, 0, 0);
  }
}
