package org.convmirror;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.convmirror.internal.run.ImageBatch;
import org.convmirror.internal.run.ImageGrid;
import org.convmirror.internal.run.Npy;
import org.convmirror.spec.ImageShape;

/**
 * Images a model made: {@code count} images of {@code shape} as one flat array in N×C×H×W order,
 * every pixel in [0, 1] (0 black, 1 white).
 */
public record Images(float[] pixels, int count, ImageShape shape) {

  public Images {
    if (pixels.length != (long) count * shape.size()) {
      throw new IllegalArgumentException(
          count + " images of " + shape + " need " + count * shape.size() + " values");
    }
  }

  /** Image {@code i}, C×H×W. */
  public float[] image(int i) {
    return Arrays.copyOfRange(pixels, i * shape.size(), (i + 1) * shape.size());
  }

  /** Writes them as one PNG grid, {@code scale} pixels per image pixel. */
  public void writeGrid(Path png, int scale) throws IOException {
    ImageGrid.of(batch()).optRange(0, 1).optScale(scale).write(png);
  }

  /** Writes them as a NumPy array, shape (N, C, H, W), float32 in [0, 1]. */
  public void writeNpy(Path file) throws IOException {
    Npy.write(file, new long[] {count, shape.channels(), shape.height(), shape.width()}, pixels);
  }

  /** The same images as a batch for grids. */
  ImageBatch batch() {
    return new ImageBatch(pixels, count, shape.channels(), shape.height(), shape.width());
  }
}
