package org.convmirror.internal.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How well a conditional model keeps to the class it is asked for, in a frozen classifier's view:
 * how often the classifier names the requested class (beside how often it names the true class of
 * real test images), and each class's Fréchet distance against that class's test images (beside the
 * same for that class's training images), with their means over the classes.
 *
 * @param names the classes' names (index = label)
 * @param agreement per class: the fraction of images generated for it that the classifier assigns
 *     to it (NaN when the classifier's classes are not the model's)
 * @param realAgreement per class: the classifier's accuracy on that class's test images
 * @param frechet per class: generated vs test images of the class (NaN with fewer than 2 of either)
 * @param floorFrechet per class: training vs test images of the class, as many as were generated
 * @param generated images generated per class
 * @param reference test images per class
 */
public record ClassReport(
    List<String> names,
    double[] agreement,
    double[] realAgreement,
    double[] frechet,
    double[] floorFrechet,
    int[] generated,
    int[] reference) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ClassReport {
    names = List.copyOf(names);
    int k = names.size();
    for (Object a : List.of(agreement, realAgreement, frechet, floorFrechet)) {
      if (((double[]) a).length != k) throw new IllegalArgumentException("one value per class");
    }
    if (generated.length != k || reference.length != k) {
      throw new IllegalArgumentException("one count per class");
    }
  }

  /** The fraction of all generated images the classifier assigns to their requested class. */
  public double accuracy() {
    return weighted(agreement, generated);
  }

  /** The classifier's accuracy on the real test images (the agreement a perfect model reaches). */
  public double realAccuracy() {
    return weighted(realAgreement, reference);
  }

  /** The mean of the per-class Fréchet distances. */
  public double meanFrechet() {
    return mean(frechet);
  }

  /** The mean of the per-class real floors. */
  public double meanFloorFrechet() {
    return mean(floorFrechet);
  }

  private static double weighted(double[] v, int[] counts) {
    double sum = 0;
    long n = 0;
    for (int c = 0; c < v.length; c++) {
      if (counts[c] == 0) continue;
      sum += v[c] * counts[c];
      n += counts[c];
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  /** A table: one row per class and the means. */
  public String format() {
    StringBuilder t = new StringBuilder();
    int width = Math.max(5, names.stream().mapToInt(String::length).max().orElse(0) + 4);
    t.append(
        Double.isNaN(accuracy())
            ? "requested class agreement n/a: the classifier's classes are not the model's (pass"
                + " --classifier with one trained on these classes)"
            : String.format(
                Locale.ROOT,
                "requested class agreement %.2f %% (real test images: %.2f %%)",
                100 * accuracy(),
                100 * realAccuracy()));
    t.append(
        String.format(
            Locale.ROOT,
            "; per-class Fréchet distance mean %.4f (real floor %.4f)%n",
            meanFrechet(),
            meanFloorFrechet()));
    t.append(
        String.format(
            Locale.ROOT,
            "%-" + width + "s %10s %10s %12s %12s%n",
            "class",
            "agreement",
            "real",
            "FD",
            "floor FD"));
    for (int c = 0; c < names.size(); c++) {
      t.append(
          String.format(
              Locale.ROOT,
              "%-" + width + "s %10s %10s %12.4f %12.4f%n",
              c + " " + names.get(c),
              percent(agreement[c]),
              percent(realAgreement[c]),
              frechet[c],
              floorFrechet[c]));
    }
    return t.toString();
  }

  private static String percent(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  /** The report as JSON, beside an {@link EvalReport}'s. */
  public ObjectNode toJsonTree() {
    ObjectNode root = JSON.createObjectNode();
    root.put("accuracy", accuracy());
    root.put("realAccuracy", realAccuracy());
    root.put("meanFrechet", meanFrechet());
    root.put("meanFloorFrechet", meanFloorFrechet());
    ArrayNode classes = root.putArray("classes");
    for (int c = 0; c < names.size(); c++) {
      ObjectNode o = classes.addObject();
      o.put("label", c).put("name", names.get(c));
      o.put("agreement", agreement[c]).put("realAgreement", realAgreement[c]);
      o.put("frechet", frechet[c]).put("floorFrechet", floorFrechet[c]);
      o.put("generated", generated[c]).put("reference", reference[c]);
    }
    return root;
  }

  /** The columns of {@link #csvRow()}. */
  public static String csvHeader() {
    return "accuracy,real_accuracy,mean_frechet,mean_floor_frechet";
  }

  /** The summary numbers as one CSV line. */
  public String csvRow() {
    List<String> v = new ArrayList<>();
    for (double x : new double[] {accuracy(), realAccuracy(), meanFrechet(), meanFloorFrechet()}) {
      v.add(String.format(Locale.ROOT, "%.6g", x));
    }
    return String.join(",", v);
  }
}
