package org.convmirror.internal.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import org.convmirror.internal.run.AtomicFiles;

/**
 * The scores of one generated image set against a reference set in the feature classifier's space,
 * printed beside the same scores of real held-out images (the real-vs-real floor).
 *
 * @param model scores of the generated images against the reference
 * @param realFloor the same scores for real images vs the reference at the generated count, or null
 *     when no floor sample was given
 * @param generatedClasses predicted-class histogram of the generated images
 * @param referenceClasses predicted-class histogram of the reference images
 * @param generatedCount number of generated images scored
 * @param referenceCount number of reference images scored
 * @param seed seed of the KID subsets
 */
public record EvalReport(
    Scores model,
    Scores realFloor,
    ClassHistogram generatedClasses,
    ClassHistogram referenceClasses,
    int generatedCount,
    int referenceCount,
    long seed) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One row of scores.
   *
   * @param frechet squared Fréchet distance of the classifier features (FID's formula)
   * @param kidMean mean of the unbiased KID estimates over subsets
   * @param kidStd their standard deviation
   * @param precision improved precision (fraction of generated inside the real manifold)
   * @param recall improved recall (fraction of real inside the generated manifold)
   * @param density density (Naeem et al. 2020), ≈ 1 for real-like samples
   * @param coverage coverage (Naeem et al. 2020), fraction of real neighbourhoods hit
   */
  public record Scores(
      double frechet,
      double kidMean,
      double kidStd,
      double precision,
      double recall,
      double density,
      double coverage) {
    double[] values() {
      return new double[] {frechet, kidMean, kidStd, precision, recall, density, coverage};
    }
  }

  /** The report as a JSON tree. */
  public ObjectNode toJsonTree() {
    ObjectNode root = JSON.createObjectNode();
    root.put("generatedCount", generatedCount).put("referenceCount", referenceCount);
    root.put("seed", seed);
    root.set("model", JSON.valueToTree(model));
    root.set("realFloor", realFloor == null ? null : JSON.valueToTree(realFloor));
    root.set("generatedClasses", histogram(generatedClasses));
    root.set("referenceClasses", histogram(referenceClasses));
    return root;
  }

  private static ObjectNode histogram(ClassHistogram h) {
    ObjectNode node = JSON.createObjectNode();
    node.set("counts", JSON.valueToTree(h.counts()));
    node.put("entropyNats", h.entropy());
    return node;
  }

  /** Indented JSON text. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(toJsonTree());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@link #toJson()} to {@code file}. */
  public void writeJson(Path file) throws IOException {
    AtomicFiles.writeString(file, toJson() + "\n");
  }

  /** Header of {@link #csvRow()}: one column per number, so evaluations over epochs append. */
  public static String csvHeader() {
    String scores = "frechet,kid_mean,kid_std,precision,recall,density,coverage";
    return "generated_count,reference_count,"
        + scores
        + ",class_entropy,"
        + scores.replaceAll("([a-z_]+)", "floor_$1")
        + ",reference_class_entropy";
  }

  /** This report as one CSV line matching {@link #csvHeader()}; floor columns empty if absent. */
  public String csvRow() {
    StringBuilder row = new StringBuilder();
    row.append(generatedCount).append(',').append(referenceCount);
    appendScores(row, model);
    row.append(',').append(num(generatedClasses.entropy()));
    appendScores(row, realFloor);
    row.append(',').append(num(referenceClasses.entropy()));
    return row.toString();
  }

  private static void appendScores(StringBuilder row, Scores s) {
    if (s == null) {
      row.append(",".repeat(7));
      return;
    }
    for (double v : s.values()) {
      row.append(',').append(num(v));
    }
  }

  /** Writes {@link #csvHeader()} and {@link #csvRow()}. */
  public void writeCsv(Path file) throws IOException {
    AtomicFiles.writeString(file, csvHeader() + "\n" + csvRow() + "\n");
  }

  /** A readable table: each metric for the model beside the real-vs-real floor. */
  public String format() {
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "%-22s %14s %14s%n",
            "metric",
            "generated",
            realFloor == null ? "" : "real floor"));
    line(t, "Fréchet distance", model.frechet(), realFloor == null ? null : realFloor.frechet());
    t.append(
        String.format(
            Locale.ROOT,
            "%-22s %14s %14s%n",
            "KID",
            String.format(Locale.ROOT, "%.4f±%.4f", model.kidMean(), model.kidStd()),
            realFloor == null
                ? ""
                : String.format(
                    Locale.ROOT, "%.4f±%.4f", realFloor.kidMean(), realFloor.kidStd())));
    line(t, "precision", model.precision(), realFloor == null ? null : realFloor.precision());
    line(t, "recall", model.recall(), realFloor == null ? null : realFloor.recall());
    line(t, "density", model.density(), realFloor == null ? null : realFloor.density());
    line(t, "coverage", model.coverage(), realFloor == null ? null : realFloor.coverage());
    line(t, "class entropy (nats)", generatedClasses.entropy(), referenceClasses.entropy());
    t.append(
        String.format(
            Locale.ROOT,
            "%-22s %14s%n",
            "generated classes",
            java.util.Arrays.toString(generatedClasses.counts())));
    t.append(
        String.format(
            Locale.ROOT,
            "%d generated vs %d reference images; class entropy floor column is the reference's;"
                + " max ln(%d) = %.3f%n",
            generatedCount,
            referenceCount,
            generatedClasses.counts().length,
            Math.log(generatedClasses.counts().length)));
    return t.toString();
  }

  private static void line(StringBuilder t, String name, double value, Double floor) {
    t.append(
        String.format(
            Locale.ROOT,
            "%-22s %14.4f %14s%n",
            name,
            value,
            floor == null ? "" : String.format(Locale.ROOT, "%.4f", floor)));
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  @Override
  public String toString() {
    return format();
  }
}
