package org.convmirror.internal.spark;

import java.io.Serializable;
import org.convmirror.internal.eval.FeatureMoments;

/**
 * What one shard of a sharded sample sends back to the driver: where its images went, the mergeable
 * statistics of their features, and the pixels of those among the first few images of the whole
 * sample (for the grid and the scores that need every feature vector).
 *
 * @param shard which images
 * @param file the shard's file or folder, relative to the output folder; empty if nothing written
 * @param moments feature statistics, or null without evaluation
 * @param classes predicted-class counts, or null without evaluation
 * @param head pixels in [0, 1] of images {@code shard.first()} onwards below the head size
 * @param error the one-line reason a deterministic error stopped the shard, or null
 */
public record ShardResult(
    ShardPlan.Shard shard,
    String file,
    FeatureMoments moments,
    long[] classes,
    float[] head,
    String error)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  static ShardResult failed(ShardPlan.Shard shard, String error) {
    return new ShardResult(shard, "", null, null, new float[0], error);
  }
}
