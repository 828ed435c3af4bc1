package org.convmirror.internal.job;

import java.util.OptionalLong;
import org.convmirror.error.UsageException;
import org.convmirror.internal.run.MachineMemory;
import org.convmirror.mirror.Mirror;
import org.convmirror.shape.MemoryEstimate;
import org.convmirror.shape.Planner;
import org.convmirror.spec.ModelSpec;

/**
 * Refuses, before anything is created, a model that cannot train in this machine's memory at the
 * chosen batch size (a 100,000-filter model had libtorch ask for 640 GB mid-run); {@code train} and
 * {@code bench} ask it.
 */
public final class TrainingMemory {
  private TrainingMemory() {}

  /** The floor of {@link MemoryEstimate} for {@code spec} at {@code batchSize}. */
  static MemoryEstimate estimate(ModelSpec spec, int batchSize) {
    return MemoryEstimate.training(
        spec.kind(),
        Planner.plan(spec.kind().declaredName(), spec.declared()),
        Planner.plan(spec.kind().derivedName(), Mirror.of(spec)),
        batchSize);
  }

  /**
   * Checks {@code spec} at {@code batchSize} against the memory available now.
   *
   * @throws UsageException in one line with the sizes and the largest batch that fits
   */
  public static void check(ModelSpec spec, int batchSize) {
    check(estimate(spec, batchSize), MachineMemory.availableBytes());
  }

  static void check(MemoryEstimate estimate, OptionalLong available) {
    if (available.isEmpty()) return; // the system does not say; libtorch will
    estimate
        .exceeds(available.getAsLong())
        .ifPresent(
            m -> {
              throw new UsageException(m);
            });
  }
}
