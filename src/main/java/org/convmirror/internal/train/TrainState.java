package org.convmirror.internal.train;

/**
 * Where a training run stands, saved in every checkpoint as {@code state.json}.
 *
 * @param epoch the epoch in progress (0-based); equal to the epochs done at an epoch's end
 * @param batch batches of {@code epoch} already consumed
 * @param iteration training iterations done
 * @param images images seen
 * @param seconds training time so far
 */
public record TrainState(int epoch, int batch, long iteration, long images, double seconds) {

  /** The position at the start of the next epoch: everything counted so far, no batch consumed. */
  public TrainState nextEpoch() {
    return new TrainState(epoch + 1, 0, iteration, images, seconds);
  }

  /** The position after one more iteration of {@code batches} batches of {@code batchSize}. */
  TrainState next(int batches, int batchSize, double seconds) {
    return new TrainState(
        epoch, batch + batches, iteration + 1, images + (long) batches * batchSize, seconds);
  }

  public static TrainState start() {
    return new TrainState(0, 0, 0, 0, 0);
  }
}
