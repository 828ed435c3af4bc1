package org.convmirror.internal.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ModelSpec;

/**
 * Counts which features a set of random models exercised, so that a change to the generator of
 * random specs cannot quietly drop one from the tests that use it.
 */
final class Coverage {
  private final Map<String, Integer> counts = new TreeMap<>();

  void add(ModelSpec spec) {
    var image = spec.image();
    count("odd size", image.height() % 2 == 1 || image.width() % 2 == 1);
    count("non-square", image.height() != image.width());
    count("dense head", !spec.declared().dense().isEmpty());
    count("likelihood " + spec.likelihood(), spec.likelihood() != null);
    for (ConvBlock b : spec.declared().conv()) {
      count("dilated", b.dilation().height() > 1 || b.dilation().width() > 1);
      count("strided", b.stride().height() > 1 || b.stride().width() > 1);
      count("non-square kernel", !b.kernel().isSquare());
      count("max-pooled", b.maxPool() != null);
      count("spectral norm", b.spectralNorm());
      count("batch norm", b.batchNorm());
      count("dropout", b.dropout() > 0);
    }
    for (Part part : Network.derived(spec.kind()).parts(spec)) {
      for (Layer l : part.layers()) {
        if (l instanceof Layer.Upsample u) {
          boolean exact =
              NearestResize.resizeIsExact(u.in().height(), u.height())
                  && NearestResize.resizeIsExact(u.in().width(), u.width());
          count(exact ? "upsample as Resize" : "upsample as Gather", true);
        }
      }
    }
  }

  private void count(String feature, boolean present) {
    counts.merge(feature, present ? 1 : 0, Integer::sum);
  }

  boolean has(String feature) {
    return counts.getOrDefault(feature, 0) > 0;
  }

  void assertComplete() {
    for (String f :
        new String[] {
          "odd size",
          "non-square",
          "dense head",
          "dilated",
          "strided",
          "non-square kernel",
          "max-pooled",
          "spectral norm",
          "batch norm",
          "dropout",
          "upsample as Resize",
          "likelihood BERNOULLI",
          "likelihood GAUSSIAN",
          "likelihood GAUSSIAN_LEARNED"
        }) {
      assertTrue(has(f), "no random model had " + f + ": " + counts);
    }
  }
}
