package org.convmirror.internal.train;

/** Something that draws images from a trained model: N×C×H×W in [-1, 1], seeded. */
@FunctionalInterface
public interface ImageSource {
  float[] sample(int count, long seed);
}
