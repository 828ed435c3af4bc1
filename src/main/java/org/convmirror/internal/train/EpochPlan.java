package org.convmirror.internal.train;

import org.convmirror.error.UsageException;
import org.convmirror.internal.data.BatchLoader;

/**
 * How an epoch divides into iterations: whole batches of {@code batchSize} (the last partial one
 * dropped), {@code batchesPerIteration} of them an iteration (a GAN's discriminator steps); batches
 * left over at the end are skipped, so that every epoch starts aligned.
 *
 * @param batchSize images per batch
 * @param batchesPerEpoch whole batches in the data
 * @param batchesPerIteration batches one iteration consumes
 */
public record EpochPlan(int batchSize, int batchesPerEpoch, int batchesPerIteration) {

  /**
   * The plan for {@code images} images; made before a run directory is, so that data too small for
   * one iteration is refused before anything is written.
   *
   * @throws UsageException naming the sizes when not even one iteration fits
   */
  public static EpochPlan of(int images, int batchSize, int batchesPerIteration) {
    int batches = BatchLoader.batchesPerEpoch(images, batchSize, true);
    if (batches / batchesPerIteration < 1) {
      throw new UsageException(
          "the data has "
              + images
              + " images, fewer than the "
              + (long) batchSize * batchesPerIteration
              + " one iteration needs (--batch-size "
              + batchSize
              + (batchesPerIteration > 1 ? " × --d-steps " + batchesPerIteration : "")
              + "); lower it or add data");
    }
    return new EpochPlan(batchSize, batches, batchesPerIteration);
  }

  /** Iterations per epoch. */
  public int iterations() {
    return batchesPerEpoch / batchesPerIteration;
  }

  /** Images one iteration consumes. */
  public long imagesPerIteration() {
    return (long) batchSize * batchesPerIteration;
  }
}
