package org.convmirror.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * The declared convolutional half of a model — a GAN discriminator or a VAE encoder: conv blocks
 * over an input image, then an optional dense head on the flattened feature map. Construction
 * checks that every block fits the feature map it receives.
 */
public record ConvNet(ImageShape input, List<ConvBlock> conv, List<DenseBlock> dense) {

  /** The feature maps around one conv block: its input, after the convolution, after pooling. */
  public record Stage(ImageShape in, ImageShape conv, ImageShape out) {}

  public ConvNet {
    SpecException.check(input != null, "input", "must be given");
    conv = List.copyOf(conv);
    dense = dense == null ? List.of() : List.copyOf(dense);
    SpecException.check(!conv.isEmpty(), "conv", "needs at least one convolutional block");
    stages(input, conv); // throws on a block that does not fit
  }

  public ConvNet(ImageShape input, List<ConvBlock> conv) {
    this(input, conv, List.of());
  }

  /**
   * A fluent builder: {@code ConvNet.builder(ImageShape.of(1, 28, 28)).conv(b ->
   * b.filters(64)...)}.
   */
  public static Builder builder(ImageShape input) {
    return new Builder(input);
  }

  /** Collects blocks in order; {@link #build} validates the whole network. */
  public static final class Builder {
    private final ImageShape input;
    private final List<ConvBlock> conv = new ArrayList<>();
    private final List<DenseBlock> dense = new ArrayList<>();

    private Builder(ImageShape input) {
      this.input = input;
    }

    /** Appends a conv block. */
    public Builder conv(ConvBlock block) {
      conv.add(block);
      return this;
    }

    /** Appends a conv block built from {@code ConvBlock.builder(filters, kernel)}. */
    public Builder conv(ConvBlock.Builder block) {
      return conv(block.build());
    }

    /** Appends a dense block to the head. */
    public Builder dense(DenseBlock block) {
      dense.add(block);
      return this;
    }

    public ConvNet build() {
      return new ConvNet(input, conv, dense);
    }
  }

  /** The feature maps around each conv block, in order. */
  public List<Stage> stages() {
    return stages(input, conv);
  }

  /** The last conv block's output feature map (before any dense head). */
  public ImageShape featureMap() {
    List<Stage> s = stages();
    return s.get(s.size() - 1).out();
  }

  /** Width of the network's output vector: the last dense block's units, or the flat map. */
  public int outputSize() {
    return dense.isEmpty() ? featureMap().size() : dense.get(dense.size() - 1).units();
  }

  private static List<Stage> stages(ImageShape input, List<ConvBlock> blocks) {
    List<Stage> out = new ArrayList<>(blocks.size());
    ImageShape in = input;
    for (int i = 0; i < blocks.size(); i++) {
      ConvBlock b = blocks.get(i);
      String path = "conv[" + i + "]";
      int h =
          axis(
              path,
              "height",
              in.height(),
              b.kernel().height(),
              b.stride().height(),
              b.padding().height(),
              b.dilation().height());
      int w =
          axis(
              path,
              "width",
              in.width(),
              b.kernel().width(),
              b.stride().width(),
              b.padding().width(),
              b.dilation().width());
      if ((long) b.filters() * h * w > ImageShape.MAX_VALUES) {
        throw new SpecException(
            path + ".filters",
            b.filters()
                + " filters make a "
                + b.filters()
                + "×"
                + h
                + "×"
                + w
                + " feature map of "
                + (long) b.filters() * h * w
                + " values, more than a tensor here can index ("
                + ImageShape.MAX_VALUES
                + "); use fewer filters");
      }
      ImageShape convOut = new ImageShape(b.filters(), h, w);
      ImageShape pooled = convOut;
      if (b.maxPool() != null) {
        MaxPool p = b.maxPool();
        int ph = ConvArithmetic.poolOut(h, p.kernel().height(), p.stride().height());
        int pw = ConvArithmetic.poolOut(w, p.kernel().width(), p.stride().width());
        if (ph < 1 || pw < 1) {
          throw new SpecException(
              path + ".max_pool",
              "pool kernel "
                  + p.kernel()
                  + " is larger than its "
                  + h
                  + "x"
                  + w
                  + " input; use a smaller pool or drop it");
        }
        pooled = new ImageShape(b.filters(), ph, pw);
      }
      out.add(new Stage(in, convOut, pooled));
      in = pooled;
    }
    return out;
  }

  private static int axis(String path, String axis, int in, int k, int s, int p, int d) {
    if (2L * p >= (long) ConvArithmetic.dilatedExtent(k, d) + in) {
      throw new SpecException(
          path + ".padding",
          "padding "
              + p
              + " on the "
              + axis
              + " leaves outputs made of padding only; use less padding");
    }
    int out = ConvArithmetic.convOut(in, k, s, p, d);
    if (out < 1) {
      throw new SpecException(
          path + ".kernel",
          "the kernel's "
              + axis
              + " extent "
              + ConvArithmetic.dilatedExtent(k, d)
              + " (kernel "
              + k
              + ", dilation "
              + d
              + ") exceeds the padded input "
              + axis
              + " "
              + (in + 2 * p)
              + " ("
              + in
              + " + 2×padding "
              + p
              + "); use a smaller kernel or dilation, more padding, or fewer downsampling blocks"
              + " before it");
    }
    return out;
  }
}
