package org.convmirror.internal.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.convmirror.internal.run.RunLayout;

/**
 * What one point of a sweep gave: its run, how training ended, and the evaluation of its final
 * model under the column names of {@code evaluation.csv}.
 *
 * @param point the grid point
 * @param ok whether it trained and was evaluated; otherwise {@code message} says why not
 * @param message the run's one-line error, or empty
 * @param attempts Spark task attempts it took (2 after one retry)
 * @param epochs epochs done
 * @param iterations iterations done
 * @param seconds training time over all attempts
 * @param scores evaluation columns ({@code frechet}, {@code kid_mean}, …), empty if not evaluated
 */
public record SweepResult(
    SweepGrid.Point point,
    boolean ok,
    String message,
    int attempts,
    int epochs,
    long iterations,
    double seconds,
    Map<String, Double> scores)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Score columns in table order, as {@code evaluation.csv} names them. */
  public static final String[] SCORES = {
    "frechet",
    "kid_mean",
    "kid_std",
    "precision",
    "recall",
    "density",
    "coverage",
    "class_entropy",
    "floor_frechet",
    "generated_count"
  };

  /** A point whose run ended with the one-line {@code message}. */
  static SweepResult failed(SweepGrid.Point point, String message, int attempts) {
    return new SweepResult(point, false, message, attempts, 0, 0, 0, Map.of());
  }

  /**
   * Reads a finished point: {@code metrics.json} of its run and, if it was evaluated, the report
   * the sweep kept of it.
   */
  static SweepResult read(SweepGrid.Point point, Path run, Path evaluation, int attempts)
      throws IOException {
    JsonNode m = JSON.readTree(Files.readString(new RunLayout(run).metricsJson()));
    Map<String, Double> scores = new LinkedHashMap<>();
    if (evaluation != null) {
      JsonNode e = JSON.readTree(Files.readString(evaluation));
      JsonNode model = e.path("model");
      scores.put("frechet", model.path("frechet").asDouble());
      scores.put("kid_mean", model.path("kidMean").asDouble());
      scores.put("kid_std", model.path("kidStd").asDouble());
      scores.put("precision", model.path("precision").asDouble());
      scores.put("recall", model.path("recall").asDouble());
      scores.put("density", model.path("density").asDouble());
      scores.put("coverage", model.path("coverage").asDouble());
      scores.put("class_entropy", e.path("generatedClasses").path("entropyNats").asDouble());
      scores.put("floor_frechet", e.path("realFloor").path("frechet").asDouble(Double.NaN));
      scores.put("generated_count", e.path("generatedCount").asDouble());
    }
    return new SweepResult(
        point,
        true,
        "",
        attempts,
        m.path("epoch").asInt(),
        m.path("iteration").asLong(),
        m.path("seconds").asDouble(),
        scores);
  }
}
