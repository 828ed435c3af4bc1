package org.convmirror.internal.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.convmirror.error.UsageException;

/**
 * The grid of a sweep: train flags held fixed, and for some flags a list of values; every
 * combination is one point, trained as one run with exactly the flags {@code convmirror train}
 * takes, so any train flag (the seed, the loss, the learning rate, the model file, a preset) can be
 * swept without the sweep knowing it. {@code --seed} is the replicate axis: points that differ only
 * in their seed form one configuration, summarised as mean ± std.
 *
 * @param axes the varied flags (each with its leading {@code --}) and their values, in order: the
 *     first varies slowest
 * @param fixed train flags given to every point
 */
public record SweepGrid(List<Axis> axes, List<String> fixed) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The flag that names replicates of one configuration. */
  public static final String SEED = "--seed";

  /** Flags the sweep sets itself for every run. */
  static final List<String> RESERVED = List.of("--runs", "--name", "--resume", "--quiet");

  /** One varied flag and its values. */
  public record Axis(String flag, List<String> values) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * One run of the sweep.
   *
   * @param name its run directory's name, made of the varied values
   * @param values the varied flags' values at this point, in axis order
   * @param arguments the train flags of this run: the fixed ones, then {@code --flag=value} each
   */
  public record Point(String name, Map<String, String> values, List<String> arguments)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The varied values but the seed: what the replicates of one configuration share. */
    public String configuration() {
      StringBuilder s = new StringBuilder();
      values.forEach(
          (flag, value) -> {
            if (!flag.equals(SEED)) s.append(s.length() == 0 ? "" : " ").append(flag + "=" + value);
          });
      return s.length() == 0 ? "(fixed flags)" : s.toString();
    }
  }

  public SweepGrid {
    axes = List.copyOf(axes);
    fixed = List.copyOf(fixed);
  }

  /**
   * Reads {@code --vary} specifications ({@code seed=1,2,3}, {@code --loss=bce,hinge}) and the
   * fixed train flags.
   *
   * @throws UsageException naming the bad specification or flag
   */
  public static SweepGrid parse(List<String> vary, List<String> fixed) {
    List<Axis> axes = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String spec : vary) {
      int eq = spec.indexOf('=');
      String name = eq < 0 ? "" : spec.substring(0, eq).strip().replaceFirst("^-+", "");
      if (eq < 0 || name.isEmpty() || spec.substring(eq + 1).isBlank()) {
        throw new UsageException(
            "--vary " + spec + ": give a train flag and its values, e.g. --vary seed=1,2,3");
      }
      String flag = "--" + name;
      List<String> values = new ArrayList<>();
      for (String v : spec.substring(eq + 1).split(",", -1)) {
        if (v.isBlank()) {
          throw new UsageException("--vary " + spec + ": an empty value; separate values by ','");
        }
        if (values.contains(v.strip())) {
          throw new UsageException("--vary " + spec + ": the value " + v.strip() + " twice");
        }
        values.add(v.strip());
      }
      if (!seen.add(flag)) throw new UsageException("--vary " + flag + " is given twice");
      checkNotReserved(flag, "--vary " + spec);
      if (given(fixed, flag)) {
        throw new UsageException(
            flag + " is both varied (--vary) and fixed (after --); drop one of them");
      }
      axes.add(new Axis(flag, values));
    }
    for (String f : fixed) {
      for (String r : RESERVED) {
        if (f.equals(r) || f.startsWith(r + "=")) checkNotReserved(r, f);
      }
    }
    return new SweepGrid(axes, fixed);
  }

  private static boolean given(List<String> flags, String flag) {
    return flags.stream().anyMatch(f -> f.equals(flag) || f.startsWith(flag + "="));
  }

  private static void checkNotReserved(String flag, String where) {
    if (RESERVED.contains(flag)) {
      throw new UsageException(
          where
              + ": the sweep sets "
              + flag
              + " itself (runs go to OUT/runs/, named after their values); leave it out");
    }
  }

  /** Every combination of the axes' values, the first axis varying slowest. */
  public List<Point> points() {
    List<Map<String, String>> combos = new ArrayList<>();
    combos.add(new LinkedHashMap<>());
    for (Axis a : axes) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> c : combos) {
        for (String v : a.values()) {
          Map<String, String> m = new LinkedHashMap<>(c);
          m.put(a.flag(), v);
          next.add(m);
        }
      }
      combos = next;
    }
    List<Point> points = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Map<String, String> values : combos) {
      List<String> args = new ArrayList<>(fixed);
      values.forEach((flag, v) -> args.add(flag + "=" + v));
      String name = name(values);
      String unique = name;
      for (int i = 2; !names.add(unique); i++) unique = name + "-" + i;
      points.add(new Point(unique, values, args));
    }
    return points;
  }

  /** {@code seed-1_loss-hinge}; a model file contributes its name without folder or extension. */
  static String name(Map<String, String> values) {
    if (values.isEmpty()) return "run";
    StringBuilder s = new StringBuilder();
    values.forEach(
        (flag, v) -> {
          String value = v.contains("/") ? Path.of(v).getFileName().toString() : v;
          value = value.replaceFirst("\\.(ya?ml|json)$", "");
          s.append(s.length() == 0 ? "" : "_")
              .append(flag.substring(2))
              .append('-')
              .append(value.replaceAll("[^A-Za-z0-9.+-]", "-").toLowerCase(Locale.ROOT));
        });
    return s.toString();
  }
}
