package org.convmirror.internal.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.convmirror.internal.run.AtomicFiles;

/**
 * Provenance of a trained {@link FeatureClassifier}, stored as a JSON sidecar next to its weights:
 * what it is, what it was trained on, how well it does, and the command that made it.
 *
 * @param architecture the layer stack, with the feature layer marked
 * @param inputShape {@code [C, H, W]} of the images it takes, pixels in [-1, 1]
 * @param classes number of output classes
 * @param featureDim length of the feature vector used by the metrics
 * @param dataset identity of the training data (name, files and their SHA-256)
 * @param testAccuracy accuracy on the held-out test set, in [0, 1]
 * @param epochs passes over the training set
 * @param batchSize images per optimiser step
 * @param learningRate Adam's peak learning rate (cosine-decayed to 1% of it)
 * @param seed the seed of initialisation and shuffling
 * @param trainingSeconds wall-clock training time
 * @param date ISO-8601 instant the training finished
 * @param command the command that reproduces these weights
 * @param versions DJL, engine and Java versions that trained it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassifierInfo(
    String architecture,
    int[] inputShape,
    int classes,
    int featureDim,
    String dataset,
    double testAccuracy,
    int epochs,
    int batchSize,
    double learningRate,
    long seed,
    double trainingSeconds,
    String date,
    String command,
    String versions) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Writes this record as indented JSON. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, JSON.writeValueAsBytes(this));
  }

  /** Reads a record written by {@link #write}. */
  public static ClassifierInfo read(InputStream in) throws IOException {
    return JSON.readValue(in, ClassifierInfo.class);
  }

  /** The sidecar path of a weights file: {@code x.params} → {@code x.json}. */
  public static Path sidecarOf(Path params) {
    String name = params.getFileName().toString();
    String stem = name.endsWith(".params") ? name.substring(0, name.length() - 7) : name;
    return params.resolveSibling(stem + ".json");
  }
}
