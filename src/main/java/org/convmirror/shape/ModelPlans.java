package org.convmirror.shape;

import java.util.ArrayList;
import java.util.List;
import org.convmirror.mirror.Mirror;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;

/**
 * The plans of both halves of a model file, with the rows where a conditional model's label enters:
 * the generator's (decoder's) label embedding and its join with the latent first, conditional batch
 * norm marked on its layers, and the discriminator's projection (or the encoder's label into its
 * heads) after its layers. Each such row counts its parameters per class.
 */
public final class ModelPlans {
  private ModelPlans() {}

  /** The declared half: a discriminator or an encoder. */
  public static Plan declared(ModelSpec spec) {
    Plan plain = Planner.plan(spec.kind().declaredName(), spec.declared());
    Conditioning c = spec.conditioning();
    if (c == null) return plain;
    List<LayerPlan> rows = new ArrayList<>(plain.layers());
    ConvNet net = spec.declared();
    if (spec.kind() == ModelKind.GAN) {
      int head = rows.size() - 1; // the discriminator's last layer is its head
      int features = projectionFeatures(net);
      String source = head == 0 ? "the image" : "row " + (head - 1);
      rows.add(
          labelRow(
              "projection",
              c,
              features,
              new int[] {1},
              features,
              features,
              "+ ⟨embed(y), Σ_hw " + source + "⟩ on the logit"));
    } else {
      int f = net.outputSize();
      rows.add(
          new LayerPlan(
              "concat",
              f,
              f + classesOrZero(c),
              null,
              null,
              null,
              null,
              null,
              new int[] {f + classesOrZero(c)},
              perClass(c, 2L * spec.latent()),
              0,
              null,
              null,
              null,
              null,
              2L * spec.latent(),
              null,
              "features ⧺ one_hot(y)"
                  + (c.isAuto() ? " (one value per class)" : "")
                  + " into the mean and log-variance heads"));
    }
    return conditional(plain, rows, c, plain.input());
  }

  /** The derived half: a generator or a decoder. */
  public static Plan derived(ModelSpec spec) {
    DeconvNet net = Mirror.of(spec);
    Plan plain = Planner.plan(spec.kind().derivedName(), net);
    Conditioning c = spec.conditioning();
    if (c == null) return plain;
    List<LayerPlan> rows = new ArrayList<>();
    int e = c.embedding();
    rows.add(labelRow("embedding", c, e, new int[] {e}, e, 0, "embed(y)"));
    int[] joined =
        net.dense().isEmpty() ? new int[] {net.latent(), 1, 1} : new int[] {net.latent()};
    rows.add(
        new LayerPlan(
            "concat",
            spec.latent(),
            net.latent(),
            null,
            null,
            null,
            null,
            null,
            joined,
            0,
            0,
            null,
            null,
            null,
            null,
            null,
            null,
            "z ⧺ embed(y)"));
    for (LayerPlan l : plain.layers()) {
      rows.add(
          c.batchNorm() && Boolean.TRUE.equals(l.batchNorm()) ? conditionalBatchNorm(l, c) : l);
    }
    return conditional(plain, rows, c, new int[] {spec.latent()});
  }

  /**
   * The width of φ(x), the features entering the discriminator's head: the channels of the map
   * before the last conv block (sum-pooled over its height and width), or the vector before the
   * last dense block.
   */
  public static int projectionFeatures(ConvNet net) {
    if (!net.dense().isEmpty()) {
      int m = net.dense().size();
      return m == 1 ? net.featureMap().size() : net.dense().get(m - 2).units();
    }
    List<ConvNet.Stage> stages = net.stages();
    return stages.get(stages.size() - 1).in().channels();
  }

  private static LayerPlan labelRow(
      String kind, Conditioning c, int out, int[] output, long perClass, long macs, String note) {
    return new LayerPlan(
        kind,
        c.isAuto() ? null : c.classes(),
        out,
        null,
        null,
        null,
        null,
        null,
        output,
        perClass(c, perClass),
        macs,
        null,
        null,
        null,
        null,
        perClass,
        null,
        note);
  }

  /** The layer with class-dependent γ, β: 2·C per class instead of 2·C once. */
  private static LayerPlan conditionalBatchNorm(LayerPlan l, Conditioning c) {
    long gammaBeta = 2L * l.outChannels();
    return new LayerPlan(
        l.kind(),
        l.inChannels(),
        l.outChannels(),
        l.kernel(),
        l.stride(),
        l.padding(),
        l.outputPadding(),
        l.dilation(),
        l.output(),
        l.parameters() - gammaBeta + perClass(c, gammaBeta),
        l.macs(),
        l.batchNorm(),
        l.spectralNorm(),
        l.activation(),
        l.dropout(),
        gammaBeta,
        Boolean.TRUE,
        null);
  }

  private static long perClass(Conditioning c, long each) {
    return c.isAuto() ? 0 : each * c.classes();
  }

  private static int classesOrZero(Conditioning c) {
    return c.isAuto() ? 0 : c.classes();
  }

  private static Plan conditional(Plan plain, List<LayerPlan> rows, Conditioning c, int[] input) {
    long params = 0;
    long macs = 0;
    long perClass = 0;
    for (LayerPlan l : rows) {
      params += l.parameters();
      macs += l.macs();
      if (l.parametersPerClass() != null) perClass += l.parametersPerClass();
    }
    return new Plan(
        plain.name(),
        input,
        plain.output(),
        params,
        macs,
        rows,
        new Plan.Label(classesOrZero(c), perClass));
  }
}
