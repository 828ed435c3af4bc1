package org.convmirror.internal.job;

import static org.junit.jupiter.api.Assertions.*;

import java.util.OptionalLong;
import org.convmirror.error.UsageException;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/** Issue 13, case 5: the memory check that runs before a run directory is created. */
@Tier.Pure
class TrainingMemoryTest {
  @Test
  void aModelTooLargeForTheMachineIsRefusedBeforeTraining() {
    String huge =
        "image: {channels: 1, height: 28, width: 28}\nlatent: 100\ndiscriminator:\n  conv:\n"
            + "    - {filters: 100000, kernel: 4, stride: 2, padding: 1}\n"
            + "    - {filters: 100000, kernel: 4, stride: 2, padding: 1}\n"
            + "    - {filters: 1, kernel: 7}\n";
    var spec = ModelFiles.parse(huge, "huge.yaml");
    UsageException e =
        assertThrows(
            UsageException.class,
            () ->
                TrainingMemory.check(
                    TrainingMemory.estimate(spec, 64), OptionalLong.of(24L << 30)));
    assertTrue(
        e.getMessage().contains("more than the 24.0 GiB of memory available"), e.getMessage());
    // The default model fits this machine as it is now.
    TrainingMemory.check(ModelFiles.builtIn("dcgan28"), 64);
    TrainingMemory.check(TrainingMemory.estimate(spec, 64), OptionalLong.empty());
  }
}
