package org.convmirror.internal.spark;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.convmirror.error.UsageException;

/** Starts the Spark context of a convmirror job, on a cluster or in this JVM ({@code local[N]}). */
public final class SparkContexts {
  /** Attempts of a task before its job fails: Spark's default {@code spark.task.maxFailures}. */
  static final int ATTEMPTS = 4;

  private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|\\d+)])?");

  private SparkContexts() {}

  /**
   * A context for {@code master} ({@code local[2]}, {@code spark://host:7077}, {@code yarn}; null:
   * the one {@code spark-submit} set, else {@code local[*]}) with {@code settings} on top.
   */
  public static JavaSparkContext start(
      String appName, String master, Map<String, String> settings) {
    SparkConf conf = new SparkConf().setAppName(appName);
    // A job of ours runs no SQL and needs no web UI unless asked for; it also saves a port.
    conf.setIfMissing("spark.ui.enabled", "false");
    settings.forEach(conf::set);
    String m = master != null ? master : conf.get("spark.master", "local[*]");
    int attempts = conf.getInt("spark.task.maxFailures", ATTEMPTS);
    conf.setMaster(withRetries(m, attempts));
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    int cpus = conf.getInt("spark.task.cpus", 1);
    if (cpus < 1) {
      throw new UsageException(
          "spark.task.cpus must be ≥ 1 (libtorch threads per task), was " + cpus);
    }
    return new JavaSparkContext(conf);
  }

  /**
   * {@code local[N]} with task retries: Spark's local mode ignores {@code spark.task.maxFailures}
   * and tries a task once unless the master says {@code local[N,F]}, and a sweep relies on a failed
   * task being run again to resume its run.
   */
  static String withRetries(String master, int attempts) {
    Matcher m = LOCAL.matcher(master.strip());
    if (!m.matches()) return master.strip();
    String threads = m.group(2) == null ? "1" : m.group(2);
    return "local[" + threads + "," + attempts + "]";
  }

  /** libtorch threads for each task: the cores Spark gives it. */
  static int threadsPerTask(JavaSparkContext sc) {
    return sc.getConf().getInt("spark.task.cpus", 1);
  }
}
