package org.convmirror.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ConvArithmetic;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DenseBlock;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.MaxPool;
import org.convmirror.spec.Pair;

/** Random valid convolutional halves for property tests: odd/even, non-square, pools, heads. */
public final class RandomNets {
  private RandomNets() {}

  public static ConvNet discriminator(Random r) {
    ImageShape image = ImageShape.of(1 + r.nextInt(4), 5 + r.nextInt(92), 5 + r.nextInt(92));
    int h = image.height();
    int w = image.width();
    int blocks = 1 + r.nextInt(5);
    List<ConvBlock> conv = new ArrayList<>();
    for (int i = 0; i < blocks; i++) {
      ConvBlock b = block(r, h, w);
      if (b == null) break;
      h =
          ConvArithmetic.convOut(
              h,
              b.kernel().height(),
              b.stride().height(),
              b.padding().height(),
              b.dilation().height());
      w =
          ConvArithmetic.convOut(
              w, b.kernel().width(), b.stride().width(), b.padding().width(), b.dilation().width());
      if (b.maxPool() != null) {
        h = ConvArithmetic.poolOut(h, b.maxPool().kernel().height(), b.maxPool().stride().height());
        w = ConvArithmetic.poolOut(w, b.maxPool().kernel().width(), b.maxPool().stride().width());
      }
      conv.add(b);
    }
    if (conv.isEmpty()) conv.add(ConvBlock.builder(1 + r.nextInt(8), 1).build());
    List<DenseBlock> dense = new ArrayList<>();
    if (r.nextInt(3) == 0) {
      for (int j = r.nextInt(3); j > 0; j--)
        dense.add(DenseBlock.of(1 + r.nextInt(64), r.nextBoolean(), Activation.LEAKY_RELU));
      dense.add(DenseBlock.of(1, false, Activation.NONE));
    }
    return new ConvNet(image, conv, dense);
  }

  /** A block that fits an h×w input, or null when the map is too small to go on. */
  private static ConvBlock block(Random r, int h, int w) {
    for (int attempt = 0; attempt < 20; attempt++) {
      Pair k =
          r.nextInt(3) == 0
              ? Pair.of(1 + r.nextInt(7), 1 + r.nextInt(7))
              : Pair.of(1 + r.nextInt(7));
      Pair s =
          r.nextInt(4) == 0
              ? Pair.of(1 + r.nextInt(4), 1 + r.nextInt(4))
              : Pair.of(1 + r.nextInt(4));
      Pair d = r.nextInt(5) == 0 ? Pair.of(1 + r.nextInt(2), 1 + r.nextInt(3)) : Pair.of(1);
      Pair p = Pair.of(r.nextInt(k.height() / 2 + 2), r.nextInt(k.width() / 2 + 2));
      int oh = ConvArithmetic.convOut(h, k.height(), s.height(), p.height(), d.height());
      int ow = ConvArithmetic.convOut(w, k.width(), s.width(), p.width(), d.width());
      boolean paddingOnly =
          2 * p.height() >= ConvArithmetic.dilatedExtent(k.height(), d.height()) + h
              || 2 * p.width() >= ConvArithmetic.dilatedExtent(k.width(), d.width()) + w;
      if (oh < 1 || ow < 1 || paddingOnly) continue;
      ConvBlock.Builder b =
          ConvBlock.builder(1 + r.nextInt(64), k)
              .stride(s)
              .padding(p)
              .dilation(d)
              .batchNorm(r.nextBoolean())
              .spectralNorm(r.nextInt(4) == 0)
              .activation(r.nextBoolean() ? Activation.LEAKY_RELU : Activation.RELU);
      if (r.nextInt(4) == 0 && oh >= 2 && ow >= 2) {
        int pk = 2 + r.nextInt(Math.min(2, Math.min(oh, ow) - 1));
        b.maxPool(
            r.nextBoolean()
                ? MaxPool.of(pk)
                : new MaxPool(Pair.of(pk), Pair.of(1 + r.nextInt(pk))));
      }
      if (r.nextInt(5) == 0) b.dropout(0.25);
      return b.build();
    }
    return null;
  }
}
