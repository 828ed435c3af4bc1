package org.convmirror.internal.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where feature classifiers come from: a {@code .params} file with its sidecar, or the jar. */
public final class Classifiers {
  private Classifiers() {}

  /** Loads weights written by {@link FeatureClassifier#save} and their JSON sidecar. */
  public static FeatureClassifier load(Path params) throws IOException {
    check(params);
    try (InputStream weights = Files.newInputStream(params);
        InputStream sidecar = Files.newInputStream(ClassifierInfo.sidecarOf(params))) {
      return FeatureClassifier.load(weights, ClassifierInfo.read(sidecar), params.toString());
    }
  }

  /**
   * Refuses, naming the flag, what is no classifier: a missing or non-regular file (a FIFO would
   * block), or weights without the JSON sidecar {@code convmirror classifier} writes beside them.
   */
  public static void check(Path params) {
    if (!Files.isRegularFile(params)) {
      throw new org.convmirror.error.UsageException(
          "--classifier "
              + params
              + (Files.exists(params) ? " is not a regular file" : " does not exist")
              + "; give the .params file that 'convmirror classifier' wrote");
    }
    Path json = ClassifierInfo.sidecarOf(params);
    if (!Files.isRegularFile(json)) {
      throw new org.convmirror.error.UsageException(
          "--classifier "
              + params
              + " has no "
              + json.getFileName()
              + " beside it, so it is no classifier 'convmirror classifier' wrote; give one that"
              + " is, or leave --classifier out for the built-in Fashion-MNIST one");
    }
  }

  /** Loads the Fashion-MNIST classifier shipped on the classpath. */
  public static FeatureClassifier loadFashionMnist() throws IOException {
    return loadResource(FeatureClassifier.FASHION_MNIST_RESOURCE);
  }

  /** Loads weights and sidecar from classpath resources next to this class. */
  public static FeatureClassifier loadResource(String paramsName) throws IOException {
    String jsonName = ClassifierInfo.sidecarOf(Path.of(paramsName)).toString();
    try (InputStream weights = Classifiers.class.getResourceAsStream(paramsName);
        InputStream sidecar = Classifiers.class.getResourceAsStream(jsonName)) {
      if (weights == null || sidecar == null) {
        throw new IOException("classpath resource missing: " + paramsName + " or " + jsonName);
      }
      return FeatureClassifier.load(
          weights, ClassifierInfo.read(sidecar), "classpath:" + paramsName);
    }
  }
}
