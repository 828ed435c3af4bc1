package org.convmirror.shape;

import java.util.ArrayList;
import java.util.List;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DeconvBlock;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.DenseBlock;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.MaxPool;

/** Plans both halves of a model: every layer's output shape, parameters and MACs. No engine. */
public final class Planner {
  private Planner() {}

  /** The plan of a declared convolutional half (a discriminator or an encoder). */
  public static Plan plan(String name, ConvNet net) {
    List<LayerPlan> layers = new ArrayList<>();
    List<ConvNet.Stage> stages = net.stages();
    for (int i = 0; i < stages.size(); i++) {
      ConvBlock b = net.conv().get(i);
      ConvNet.Stage s = stages.get(i);
      ImageShape out = s.conv();
      long weights =
          weights(s.in().channels(), b.filters(), b.kernel().height(), b.kernel().width());
      long params = weights + (b.bias() ? b.filters() : 0) + (b.batchNorm() ? 2L * b.filters() : 0);
      long macs = weights * out.height() * out.width();
      boolean pooled = b.maxPool() != null;
      layers.add(
          new LayerPlan(
              "conv",
              s.in().channels(),
              b.filters(),
              b.kernel().toArray(),
              b.stride().toArray(),
              b.padding().toArray(),
              null,
              b.dilation().toArray(),
              out.toArray(),
              params,
              macs,
              flag(b.batchNorm()),
              flag(b.spectralNorm()),
              name(b.activation()),
              pooled ? null : rate(b.dropout())));
      if (pooled) {
        MaxPool p = b.maxPool();
        layers.add(
            new LayerPlan(
                "max_pool",
                b.filters(),
                b.filters(),
                p.kernel().toArray(),
                p.stride().toArray(),
                null,
                null,
                null,
                s.out().toArray(),
                0,
                0,
                null,
                null,
                null,
                rate(b.dropout())));
      }
    }
    int width = net.featureMap().size();
    for (DenseBlock d : net.dense()) {
      layers.add(dense(width, d));
      width = d.units();
    }
    int[] output = net.dense().isEmpty() ? net.featureMap().toArray() : new int[] {width};
    return total(name, net.input().toArray(), output, layers);
  }

  /** The plan of a derived half (a generator or a decoder). */
  public static Plan plan(String name, DeconvNet net) {
    List<LayerPlan> layers = new ArrayList<>();
    int width = net.latent();
    for (DenseBlock d : net.dense()) {
      layers.add(dense(width, d));
      width = d.units();
    }
    ImageShape in = net.deconvInput();
    if (net.reshape() != null) {
      layers.add(LayerPlan.weightless("reshape", null, null, in.toArray()));
    }
    for (DeconvBlock b : net.deconv()) {
      if (b.upsample() != null) {
        in = new ImageShape(in.channels(), b.upsample().height(), b.upsample().width());
        layers.add(LayerPlan.weightless("upsample", in.channels(), in.channels(), in.toArray()));
      }
      ImageShape out = b.outputFor(in);
      long weights =
          weights(b.inChannels(), b.outChannels(), b.kernel().height(), b.kernel().width());
      long params =
          weights + (b.bias() ? b.outChannels() : 0) + (b.batchNorm() ? 2L * b.outChannels() : 0);
      // Each input pixel scatters one kernel into the output: Cin·Cout·kH·kW per input pixel.
      long macs = weights * in.height() * in.width();
      layers.add(
          new LayerPlan(
              "conv_transpose",
              b.inChannels(),
              b.outChannels(),
              b.kernel().toArray(),
              b.stride().toArray(),
              b.padding().toArray(),
              b.outputPadding().toArray(),
              b.dilation().toArray(),
              out.toArray(),
              params,
              macs,
              flag(b.batchNorm()),
              flag(b.spectralNorm()),
              name(b.activation()),
              rate(b.dropout())));
      in = out;
    }
    int[] input = net.dense().isEmpty() ? new int[] {net.latent(), 1, 1} : new int[] {net.latent()};
    return total(name, input, in.toArray(), layers);
  }

  private static long weights(int in, int out, int kh, int kw) {
    return (long) in * out * kh * kw;
  }

  private static LayerPlan dense(int in, DenseBlock d) {
    long params =
        (long) in * d.units() + (d.bias() ? d.units() : 0) + (d.batchNorm() ? 2L * d.units() : 0);
    return new LayerPlan(
        "dense",
        in,
        d.units(),
        null,
        null,
        null,
        null,
        null,
        new int[] {d.units()},
        params,
        (long) in * d.units(),
        flag(d.batchNorm()),
        flag(d.spectralNorm()),
        name(d.activation()),
        rate(d.dropout()));
  }

  // Absent (null) rather than false/none/0, so that the JSON plan stays short.
  private static Boolean flag(boolean on) {
    return on ? Boolean.TRUE : null;
  }

  private static String name(Activation a) {
    return a.kind() == Activation.Kind.NONE ? null : a.toString();
  }

  private static Double rate(double dropout) {
    return dropout > 0 ? dropout : null;
  }

  private static Plan total(String name, int[] input, int[] output, List<LayerPlan> layers) {
    long params = 0;
    long macs = 0;
    for (LayerPlan l : layers) {
      params += l.parameters();
      macs += l.macs();
    }
    return new Plan(name, input, output, params, macs, layers);
  }
}
