package org.convmirror.internal.run;

import java.io.PrintStream;
import java.util.function.LongFunction;
import org.convmirror.internal.data.DataAccess;

/** Decoding (or writing) an image folder on a {@link Progress} bar: files/s and the time left. */
public final class DecodeProgress {
  private DecodeProgress() {}

  /** The default way to open data, with notices and a decoding bar on {@code console}. */
  public static DataAccess access(PrintStream console, boolean interactive) {
    return DataAccess.defaults().withConsole(console, bar(console, interactive, "decoding"));
  }

  /** A bar for writing files, e.g. an example folder. */
  public static LongFunction<DataAccess.Meter> writing(PrintStream console) {
    return bar(console, Progress.detectInteractive(), "writing");
  }

  private static LongFunction<DataAccess.Meter> bar(
      PrintStream console, boolean interactive, String label) {
    return total -> {
      Progress bar =
          Progress.builder(console)
              .total(total)
              .optLabel(label)
              .optUnit("files")
              .optInteractive(interactive)
              .build();
      return new DataAccess.Meter() {
        @Override
        public void step(long n) {
          for (long i = 0; i < n; i++) bar.step(1);
        }

        @Override
        public void finish() {
          bar.finish();
        }
      };
    };
  }
}
