package org.convmirror.internal.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.convmirror.error.UsageException;
import picocli.CommandLine.Option;

/** Where a Spark command runs: {@code --master} and {@code --conf}, as {@code spark-submit} has. */
final class SparkOptions {
  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master: local[N] (N tasks at once in this JVM), spark://HOST:PORT, yarn, …"
              + " Default: spark-submit's, else local[*].")
  String master;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description =
          "A Spark setting, e.g. spark.task.cpus=2 (cores, and so libtorch threads, per task).")
  Map<String, String> conf = new LinkedHashMap<>();

  /** The master URLs Spark knows, checked before Spark starts (which takes seconds). */
  private static final java.util.regex.Pattern MASTER =
      java.util.regex.Pattern.compile(
          "local|local\\[(\\*|[1-9]\\d*)(,[1-9]\\d*)?\\]|local-cluster\\[.+\\]"
              + "|(spark|k8s|mesos)://.+|yarn");

  /** Refuses a {@code --master} Spark would not take, in one line; null is Spark's default. */
  void checkMaster() {
    if (master != null && !MASTER.matcher(master).matches()) {
      throw new UsageException(
          "--master must be local, local[N] (N ≥ 1), local[*], spark://HOST:PORT, yarn,"
              + " k8s://URL or mesos://URL, was '"
              + master
              + "'");
    }
  }

  /** Refuses to go on when Spark's jars are missing, saying how to get them. */
  static void requireSpark() {
    try {
      Class.forName("org.apache.spark.SparkContext", false, SparkOptions.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new UsageException(
          "Spark's jars are not on the class path: run 'convmirror spark …' through the"
              + " ./convmirror launcher (it adds target/spark-lib/), or submit it with"
              + " spark-submit");
    }
  }
}
