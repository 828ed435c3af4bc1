package org.convmirror.internal.export;

import java.util.ArrayList;
import java.util.List;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DeconvBlock;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.DenseBlock;
import org.convmirror.spec.ImageShape;

/**
 * The layer sequence of each half, child for child in the order {@code nn.Networks} builds it: conv
 * → [batch norm] → [activation] → [max-pool] → [dropout], flatten, dense blocks; dense blocks,
 * [unflatten], [upsample] → transposed conv → [batch norm] → [activation] → [dropout].
 */
final class Layers {
  private final List<Layer> layers = new ArrayList<>();
  private final List<String> shapes = new ArrayList<>();
  private int classes; // > 0: batch norms are conditional over this many classes

  private Layers() {}

  /** The declared half, from an image to its flat output. */
  static Part of(String name, ConvNet net) {
    Layers l = new Layers();
    int in = net.input().channels();
    for (int i = 0; i < net.conv().size(); i++) {
      ConvBlock b = net.conv().get(i);
      ConvNet.Stage s = net.stages().get(i);
      String conv = s.conv().toString();
      l.add(
          new Layer.Conv(
              in,
              b.filters(),
              b.kernel(),
              b.stride(),
              b.padding(),
              b.dilation(),
              b.bias(),
              b.spectralNorm()),
          conv);
      if (b.batchNorm()) l.add(new Layer.BatchNorm(b.filters(), true), conv);
      l.activation(b.activation(), conv);
      if (b.maxPool() != null)
        l.add(new Layer.MaxPool(b.maxPool().kernel(), b.maxPool().stride()), s.out().toString());
      if (b.dropout() > 0) l.add(new Layer.Dropout(b.dropout()), s.out().toString());
      in = b.filters();
    }
    int features = net.featureMap().size();
    l.add(new Layer.Flatten(), Integer.toString(features));
    l.dense(features, net.dense());
    return new Part(name, l.layers, l.shapes, true);
  }

  /** The derived half, from a latent vector (or latent×1×1 map) to the image. */
  static Part of(String name, DeconvNet net) {
    return of(name, net, 0);
  }

  /**
   * As above; with {@code conditionalClasses} &gt; 0 every batch norm is a conditional one over
   * that many classes (a conditional generator's {@code batch_norm: true}).
   */
  static Part of(String name, DeconvNet net, int conditionalClasses) {
    Layers l = new Layers();
    l.classes = conditionalClasses;
    l.dense(net.latent(), net.dense());
    if (net.reshape() != null) l.add(new Layer.Unflatten(net.reshape()), net.reshape().toString());
    ImageShape map = net.deconvInput();
    for (DeconvBlock b : net.deconv()) {
      if (b.upsample() != null) {
        l.add(
            new Layer.Upsample(map, b.upsample().height(), b.upsample().width()),
            new ImageShape(map.channels(), b.upsample().height(), b.upsample().width()).toString());
      }
      ImageShape out = b.outputFor(map);
      String shape = out.toString();
      l.add(
          new Layer.ConvTranspose(
              b.inChannels(),
              b.outChannels(),
              b.kernel(),
              b.stride(),
              b.padding(),
              b.outputPadding(),
              b.dilation(),
              b.bias()),
          shape);
      if (b.batchNorm()) l.add(l.batchNorm(b.outChannels(), true), shape);
      l.activation(b.activation(), shape);
      if (b.dropout() > 0) l.add(new Layer.Dropout(b.dropout()), shape);
      map = out;
    }
    return new Part(name, l.layers, l.shapes, true);
  }

  /** One dense layer as a part of its own, e.g. a VAE's mean head: keys {@code <name>.weight}. */
  static Part dense(String name, int in, int out) {
    return new Part(
        name,
        List.of(new Layer.Dense(in, out, true, false)),
        List.of(Integer.toString(out)),
        false);
  }

  private void dense(int in, List<DenseBlock> blocks) {
    for (DenseBlock d : blocks) {
      String units = Integer.toString(d.units());
      add(new Layer.Dense(in, d.units(), d.bias(), d.spectralNorm()), units);
      if (d.batchNorm()) add(batchNorm(d.units(), false), units);
      activation(d.activation(), units);
      if (d.dropout() > 0) add(new Layer.Dropout(d.dropout()), units);
      in = d.units();
    }
  }

  private Layer batchNorm(int features, boolean spatial) {
    return classes > 0
        ? new Layer.ConditionalBatchNorm(features, classes, spatial)
        : new Layer.BatchNorm(features, spatial);
  }

  /** A label table as a part of its own: key {@code <name>.weight}. */
  static Part embedding(String name, int classes, int width) {
    return new Part(
        name,
        List.of(new Layer.Embedding(classes, width)),
        List.of(Integer.toString(width)),
        false);
  }

  private void activation(Activation a, String shape) {
    if (a.kind() != Activation.Kind.NONE) add(new Layer.Act(a), shape);
  }

  private void add(Layer layer, String shape) {
    layers.add(layer);
    shapes.add(shape);
  }
}
