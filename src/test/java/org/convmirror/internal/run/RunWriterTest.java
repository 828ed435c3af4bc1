package org.convmirror.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.OptionalLong;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RunDirectory#writer}: who writes a run, asked without disturbing the writer's lock. */
@Tier.Pure
class RunWriterTest {
  @TempDir Path tmp;

  @Test
  void theWriterIsThisProcessWhileItHoldsTheLockAndNoneAfter() throws Exception {
    RunDirectory run = RunDirectory.create(tmp, "r");
    long me = ProcessHandle.current().pid();
    assertEquals(OptionalLong.of(me), run.writer());
    assertEquals(OptionalLong.of(me), run.writer(), "asking twice keeps the lock");
    try (RunLock second = RunLock.acquire(run.root())) {
      assertTrue(run.writer().isPresent(), "a second hold in this JVM shares the lock");
    }
    assertEquals(OptionalLong.of(me), run.writer(), "the first hold outlives the second");
    run.close();
    assertEquals(OptionalLong.empty(), run.writer());
  }
}
