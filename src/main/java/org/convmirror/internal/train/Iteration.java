package org.convmirror.internal.train;

import java.util.List;
import org.convmirror.internal.data.Batch;

/**
 * One training iteration as the loop hands it to the objective.
 *
 * @param number the iteration's 0-based index in the whole run: the position of its random draws
 * @param epoch the epoch it belongs to (0-based)
 * @param index its 0-based index within the epoch
 * @param perEpoch iterations per epoch
 * @param batches the real batches it consumes, {@link Objective#batchesPerIteration()} of them
 */
public record Iteration(long number, int epoch, int index, int perEpoch, List<Batch> batches) {

  /** Epochs done so far as a fraction, e.g. 1.5 halfway through the second epoch. */
  public double epochs() {
    return epoch + index / (double) perEpoch;
  }
}
