package org.convmirror.internal.run;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A console progress bar for long jobs, e.g. {@code [=====> ] 312/937 33% 00:41<01:22 410.2 img/s
 * d=0.512 g=2.31}: redrawn in place on a terminal, one line per few percent in CI logs.
 *
 * <p>Use: {@code Progress.builder(System.err).total(937).build()}, then {@code step(batchSize)} per
 * iteration, {@code set("d", dLoss)} for live numbers and {@code finish()} at the end.
 */
public final class Progress {
  private static final long REDRAW_NANOS = 200_000_000L; // ≤ 5 redraws a second
  private static final double SMOOTHING = 0.3; // EMA weight of the newest rate, as tqdm
  private static final int BAR = 30;

  private final PrintStream out;
  private final long total;
  private final String label;
  private final String unit;
  private final boolean interactive;
  private final int percentStep;
  private final LongSupplier clock;
  private final Map<String, Double> fields = new LinkedHashMap<>();

  private final long start;
  private long done;
  private long items;
  private long lastDraw;
  private int lastWidth;
  private long nextPercent;
  private boolean finished;
  // Throughput EMA, sampled at most every REDRAW_NANOS so single slow steps don't dominate.
  private long rateT;
  private long rateDone;
  private long rateItems;
  private double stepRate = Double.NaN;
  private double itemRate = Double.NaN;

  private Progress(Builder b) {
    this.out = b.out;
    this.total = b.total;
    this.label = b.label;
    this.unit = b.unit;
    this.interactive = b.interactive;
    this.percentStep = b.percentStep;
    this.clock = b.clock;
    this.start = clock.getAsLong();
    this.rateT = start;
    this.lastDraw = start - REDRAW_NANOS; // draw on the first step
    this.nextPercent = percentStep;
  }

  public static Builder builder(PrintStream out) {
    return new Builder(out);
  }

  /**
   * Whether the process looks attached to a person's terminal: a console exists and we are not in
   * CI (whose logs would fill with carriage returns).
   */
  public static boolean detectInteractive() {
    return System.console() != null
        && System.getenv("CI") == null
        && !"dumb".equals(System.getenv("TERM"));
  }

  /** Records one finished step that processed {@code n} items (e.g. images in the batch). */
  public synchronized void step(long n) {
    done++;
    items += n;
    long now = clock.getAsLong();
    sampleRate(now);
    if (interactive) {
      if (now - lastDraw >= REDRAW_NANOS || done >= total) {
        draw(now);
      }
    } else if (total > 0 && done * 100 >= nextPercent * total) {
      out.println(render(now));
      while (done * 100 >= nextPercent * total) {
        nextPercent += percentStep;
      }
    }
  }

  /** Sets a live number shown after the rate, such as a loss; shown in insertion order. */
  public synchronized Progress set(String key, double value) {
    fields.put(key, value);
    return this;
  }

  /** Prints the final state and ends the line; idempotent. */
  public synchronized void finish() {
    if (finished) {
      return;
    }
    finished = true;
    long now = clock.getAsLong();
    if (interactive) {
      draw(now);
      out.println();
    } else if (nextPercent <= 100 || done < total) {
      // not yet printed at 100 %: a job that stopped early still says where it stopped
      out.println(render(now));
    }
    out.flush();
  }

  /** The current line, without carriage return or newline. */
  public synchronized String render() {
    return render(clock.getAsLong());
  }

  private void draw(long now) {
    String line = render(now);
    // Pad with spaces to erase the tail of a longer previous line.
    String pad = " ".repeat(Math.max(0, lastWidth - line.length()));
    out.print("\r" + line + pad);
    out.flush();
    lastWidth = line.length();
    lastDraw = now;
  }

  private void sampleRate(long now) {
    long dt = now - rateT;
    if (dt < REDRAW_NANOS) {
      return;
    }
    double s = (done - rateDone) * 1e9 / dt;
    double i = (items - rateItems) * 1e9 / dt;
    stepRate = Double.isNaN(stepRate) ? s : SMOOTHING * s + (1 - SMOOTHING) * stepRate;
    itemRate = Double.isNaN(itemRate) ? i : SMOOTHING * i + (1 - SMOOTHING) * itemRate;
    rateT = now;
    rateDone = done;
    rateItems = items;
  }

  private String render(long now) {
    double elapsed = (now - start) / 1e9;
    // Until the first EMA sample exists, fall back to the plain average.
    double steps = Double.isNaN(stepRate) ? (elapsed > 0 ? done / elapsed : 0) : stepRate;
    double perSec = Double.isNaN(itemRate) ? (elapsed > 0 ? items / elapsed : 0) : itemRate;
    StringBuilder s = new StringBuilder(100);
    if (!label.isEmpty()) {
      s.append(label).append(' ');
    }
    s.append(bar()).append(' ').append(done).append('/').append(total);
    s.append(String.format(Locale.ROOT, " %d%% ", total > 0 ? done * 100 / total : 0));
    s.append(clock(elapsed)).append('<');
    s.append(steps > 0 ? clock(Math.max(0, total - done) / steps) : "--:--");
    s.append(String.format(Locale.ROOT, " %.1f %s/s", perSec, unit));
    for (Map.Entry<String, Double> f : fields.entrySet()) {
      s.append(' ').append(f.getKey()).append('=');
      s.append(String.format(Locale.ROOT, "%.3g", f.getValue()));
    }
    return s.toString();
  }

  private String bar() {
    int filled = total > 0 ? (int) Math.min(BAR, done * BAR / total) : 0;
    StringBuilder b = new StringBuilder(BAR + 2).append('[');
    for (int i = 0; i < BAR; i++) {
      b.append(i < filled - 1 || filled == BAR ? '=' : i == filled - 1 ? '>' : ' ');
    }
    return b.append(']').toString();
  }

  static String clock(double seconds) {
    long t = Math.round(seconds);
    if (t >= 3600) {
      return String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
    }
    return String.format(Locale.ROOT, "%02d:%02d", t / 60, t % 60);
  }

  /** Configures a {@link Progress}; {@code total} is required. */
  public static final class Builder {
    private final PrintStream out;
    private long total = -1;
    private String label = "";
    private String unit = "img";
    private boolean interactive = detectInteractive();
    private int percentStep = 10;
    private LongSupplier clock = System::nanoTime;

    private Builder(PrintStream out) {
      this.out = out;
    }

    public Builder total(long steps) {
      this.total = steps;
      return this;
    }

    /** Text before the bar, e.g. {@code "epoch 3/25"}. */
    public Builder optLabel(String label) {
      this.label = label;
      return this;
    }

    /** Name of the items counted for throughput; default {@code img}. */
    public Builder optUnit(String unit) {
      this.unit = unit;
      return this;
    }

    /** Redraw in place (true) or print a line every few percent (false, for logs/--quiet). */
    public Builder optInteractive(boolean interactive) {
      this.interactive = interactive;
      return this;
    }

    /** Non-interactive mode prints a line each time this many percent more are done. */
    public Builder optPercentStep(int percent) {
      this.percentStep = percent;
      return this;
    }

    /** Nanosecond clock, for tests. */
    public Builder optClock(LongSupplier nanoTime) {
      this.clock = nanoTime;
      return this;
    }

    public Progress build() {
      if (total < 0) {
        throw new IllegalArgumentException("progress total must be set and ≥ 0, was " + total);
      }
      if (percentStep < 1 || percentStep > 100) {
        throw new IllegalArgumentException("percent step must be in 1..100, was " + percentStep);
      }
      return new Progress(this);
    }
  }
}
