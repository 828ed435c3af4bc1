package org.convmirror.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.convmirror.internal.testing.Tier;
import org.convmirror.options.GanOptions;
import org.convmirror.options.GanPreset;
import org.convmirror.options.TrainConfig;
import org.junit.jupiter.api.Test;

/** A GAN plan starts from the default preset's batch and options; a preset set first is kept. */
@Tier.Pure
class TrainPlanDefaultsTest {
  @Test
  void aGanStartsFromTheDefaultPresetAndAVaeFromItsOwnBatch() {
    TrainPlan gan = TrainPlan.of("dcgan28");
    assertEquals(32, gan.train().build().batchSize());
    assertEquals(GanPreset.DCGAN.options(), gan.ganOptions());
    assertEquals(TrainConfig.BATCH_SIZE, TrainPlan.of("vae28").train().build().batchSize());
  }

  @Test
  void aPresetSetsItsBatchAndAnExplicitBatchAfterItWins() {
    TrainPlan classic = TrainPlan.of("dcgan28").preset(GanPreset.CLASSIC);
    assertEquals(64, classic.train().build().batchSize());
    assertEquals(GanOptions.CLASSIC_LEARNING_RATE, classic.ganOptions().generator().learningRate());
    classic.train().batchSize(16);
    assertEquals(16, classic.train().build().batchSize());
  }
}
