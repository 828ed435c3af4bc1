package org.convmirror.internal.train;

import java.util.function.Supplier;

/**
 * Times the named phases of a step for {@code convmirror bench}. On the CPU every libtorch op has
 * finished when it returns, and each phase ends in a scalar read or an in-place optimizer update,
 * so wall time per phase is honest.
 */
@FunctionalInterface
public interface PhaseTimer {
  /** Adds {@code nanos} to {@code phase}. */
  void record(String phase, long nanos);

  /** Runs {@code work} as {@code phase}. */
  default <T> T time(String phase, Supplier<T> work) {
    long t = System.nanoTime();
    T result = work.get();
    record(phase, System.nanoTime() - t);
    return result;
  }

  /** Runs {@code work} as {@code phase}. */
  default void time(String phase, Runnable work) {
    long t = System.nanoTime();
    work.run();
    record(phase, System.nanoTime() - t);
  }

  /** Times nothing. */
  PhaseTimer NONE =
      new PhaseTimer() {
        @Override
        public void record(String phase, long nanos) {}

        @Override
        public <T> T time(String phase, Supplier<T> work) {
          return work.get();
        }

        @Override
        public void time(String phase, Runnable work) {
          work.run();
        }
      };
}
