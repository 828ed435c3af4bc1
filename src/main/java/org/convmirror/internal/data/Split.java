package org.convmirror.internal.data;

import java.util.Locale;

/** Which half of a dataset to read: the training images or the held-out test images. */
public enum Split {
  TRAIN("train"),
  // MNIST-family files call the test split "t10k"; EMNIST calls it "test".
  TEST("t10k");

  private final String filePrefix;

  Split(String filePrefix) {
    this.filePrefix = filePrefix;
  }

  /** The prefix of this split's files in the standard MNIST naming, e.g. {@code t10k}. */
  public String filePrefix() {
    return filePrefix;
  }

  /** Parses {@code train} or {@code test} (case-insensitive). */
  public static Split parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "train" -> TRAIN;
      case "test", "t10k" -> TEST;
      default -> throw new DataException("unknown split '" + text + "'; use 'train' or 'test'");
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
