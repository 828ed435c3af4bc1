package org.convmirror.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.convmirror.internal.testing.Tier;
import org.convmirror.mirror.RandomNets;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DenseBlock;
import org.convmirror.spec.ModelSpec;
import org.convmirror.spec.Pair;
import org.convmirror.spec.SpecException;

/** Random model files: valid ones read back exactly, broken ones name the broken value's path. */
@Tier.Pure
class RandomModelFilesTest {

  @Property(tries = 1000)
  void validFilesRoundTripAndBrokenOnesNameThePath(@ForAll long seed) {
    Random r = new Random(seed);
    ConvNet d = RandomNets.discriminator(r);
    assertEquals(ModelSpec.gan(d, 7), ModelFiles.parse(yaml(d, -1, null), "random.yaml"));
    int i = r.nextInt(d.conv().size());
    String[][] breaks = {
      {"stride", "0", "stride: must be ≥ 1, was 0"},
      {"filters", "-2", "filters: must be ≥ 1, was -2"},
      {"dilation", "[1, 0]", "dilation[1]: must be ≥ 1, was 0"},
      {"dropout", "1.5", "dropout: must be in [0, 1), was 1.5"},
      {
        "activation",
        "swishy",
        "activation: unknown activation 'swishy'; expected one of none, relu, leaky_relu, leaky_relu(SLOPE), elu, gelu, tanh, sigmoid"
      },
    };
    String[] b = breaks[r.nextInt(breaks.length)];
    SpecException e =
        assertThrows(SpecException.class, () -> ModelFiles.parse(yaml(d, i, b), "random.yaml"));
    assertEquals("discriminator.conv[" + i + "]." + b[2], e.getMessage());
  }

  /**
   * The network as a model file; block {@code broken}'s key {@code b[0]} gets value {@code b[1]}.
   */
  private static String yaml(ConvNet d, int broken, String[] b) {
    StringBuilder y = new StringBuilder();
    y.append("image: {channels: ")
        .append(d.input().channels())
        .append(", height: ")
        .append(d.input().height())
        .append(", width: ")
        .append(d.input().width())
        .append("}\n");
    y.append("latent: 7\ndiscriminator:\n  conv:\n");
    for (int i = 0; i < d.conv().size(); i++) {
      ConvBlock c = d.conv().get(i);
      java.util.Map<String, String> kv = new java.util.LinkedHashMap<>();
      kv.put("filters", "" + c.filters());
      kv.put("kernel", pair(c.kernel()));
      kv.put("stride", pair(c.stride()));
      kv.put("padding", pair(c.padding()));
      kv.put("dilation", pair(c.dilation()));
      kv.put("bias", "" + c.bias());
      kv.put("batch_norm", "" + c.batchNorm());
      kv.put("spectral_norm", "" + c.spectralNorm());
      kv.put("activation", c.activation().toString());
      if (c.maxPool() != null) {
        kv.put(
            "max_pool",
            "{kernel: "
                + pair(c.maxPool().kernel())
                + ", stride: "
                + pair(c.maxPool().stride())
                + "}");
      }
      kv.put("dropout", "" + c.dropout());
      if (i == broken) kv.put(b[0], b[1]);
      y.append("    - {");
      y.append(
          String.join(
              ", ", kv.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList()));
      y.append("}\n");
    }
    if (!d.dense().isEmpty()) {
      y.append("  dense:\n");
      for (DenseBlock u : d.dense()) {
        y.append("    - {units: ")
            .append(u.units())
            .append(", bias: ")
            .append(u.bias())
            .append(", batch_norm: ")
            .append(u.batchNorm())
            .append(", activation: ")
            .append(u.activation())
            .append("}\n");
      }
    }
    return y.toString();
  }

  private static String pair(Pair p) {
    return "[" + p.height() + ", " + p.width() + "]";
  }
}
