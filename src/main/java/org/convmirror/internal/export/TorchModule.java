package org.convmirror.internal.export;

import java.util.List;
import java.util.Locale;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.Pair;

/**
 * Generates {@code model.py}: the exported network as plain {@code torch.nn} (no convmirror
 * import), a module whose {@code state_dict} keys are exactly the exported file's, a safetensors
 * reader that needs nothing but torch, {@code LATENT}, and {@code load(folder)} returning the
 * network in eval mode with its weights loaded under {@code strict=True}. Written for torch ≥ 1.10.
 */
public final class TorchModule {
  private TorchModule() {}

  /** The weights file {@code model.py} loads, beside it. */
  public static String weightsFile(Network network) {
    return network.cliName() + ".safetensors";
  }

  /** The text of {@code model.py} for {@code net}. */
  public static String source(ExportedNetwork net) {
    Network network = net.network();
    ImageShape image = net.image();
    StringBuilder py = new StringBuilder();
    py.append("\"\"\"The ")
        .append(network.cliName())
        .append(" of a convmirror model as plain torch.nn; convmirror is not needed to run it.\n\n")
        .append(describeSource(net))
        .append(network.cliName())
        .append(": ")
        .append(net.inputSignature())
        .append("\n  -> ")
        .append(net.outputSignature())
        .append("\n\n    import model\n    net = model.load(\"path/to/this/folder\")")
        .append("  # eval mode, weights loaded strictly\n");
    if (network.isDerived()) {
      py.append(
              net.conditional()
                  ? "    labels = torch.full((16,), model.label(\""
                      + firstClass(net)
                      + "\"))\n"
                      + "    images = net(torch.randn(16, model.LATENT), labels)  # (16, "
                  : "    images = net(torch.randn(16, model.LATENT))  # (16, ")
          .append(image.channels() + ", " + image.height() + ", " + image.width())
          .append(") in [0, 1]\n");
    }
    py.append("\"\"\"\n")
        .append(PREAMBLE)
        .append("LATENT = ")
        .append(net.latent())
        .append("\nIMAGE = (")
        .append(image.channels() + ", " + image.height() + ", " + image.width())
        .append(")  # channels, height, width\nWEIGHTS = \"")
        .append(weightsFile(network))
        .append("\"\n");
    if (net.conditional()) TorchConditional.classes(py, net);
    py.append("\n").append(NEAREST_RESIZE);
    if (hasConditionalBatchNorm(net)) py.append(TorchConditional.BATCH_NORM);
    List<Part> parts = net.parts();
    if (net.conditional()) {
      TorchConditional.network(py, net);
    } else {
      switch (network) {
        case GENERATOR, DECODER -> derived(py, net, parts.get(0));
        case DISCRIMINATOR -> discriminator(py, net, parts.get(0));
        case ENCODER -> encoder(py, net, parts);
      }
    }
    py.append(READER)
        .append("\n\n\ndef load(folder=\".\"):\n")
        .append(
            "    \"\"\"The network with the weights in FOLDER/WEIGHTS (every key and shape must")
        .append(" match), in eval mode.\"\"\"\n")
        .append("    net = ")
        .append(network.className())
        .append("()\n")
        .append(
            "    net.load_state_dict(read_safetensors(os.path.join(folder, WEIGHTS)), strict=True)\n")
        .append("    return net.eval()\n");
    return py.toString();
  }

  private static String firstClass(ExportedNetwork net) {
    String q = TorchConditional.pyString(net.spec().conditioning().name(0));
    return q.substring(1, q.length() - 1);
  }

  private static boolean hasConditionalBatchNorm(ExportedNetwork net) {
    return net.network().isDerived()
        && net.layers().layers().stream().anyMatch(l -> l instanceof Layer.ConditionalBatchNorm);
  }

  private static String describeSource(ExportedNetwork net) {
    var m = net.metadata();
    if (!m.containsKey("run")) return "";
    return "Exported by convmirror "
        + m.getOrDefault("convmirror_version", "dev")
        + " from "
        + m.get("run")
        + ",\ncheckpoint "
        + m.get("checkpoint")
        + " ("
        + m.get("weights")
        + ").\n";
  }

  private static void derived(StringBuilder py, ExportedNetwork net, Part part) {
    boolean learned = net.network().hasObservationLogVariance(net.spec());
    py.append("\n\nclass ")
        .append(net.network().className())
        .append("(nn.Sequential):\n    \"\"\"z (N, LATENT) -> images (N, ")
        .append(net.image().channels())
        .append(", ")
        .append(net.image().height())
        .append(", ")
        .append(net.image().width())
        .append(") in [0, 1].\"\"\"\n\n    def __init__(self):\n        super().__init__(\n");
    sequence(py, part, "            ");
    py.append("        )\n");
    if (learned) {
      py.append("        # the learned log-variance of p(x|z), shared by every pixel\n")
          .append("        self.observation_log_variance = nn.Parameter(torch.zeros(1))\n");
    }
    py.append("\n    def forward(self, z):\n");
    py.append(
        net.latentAsMap()
            ? "        x = super().forward(z.reshape(-1, LATENT, 1, 1))\n"
            : "        x = super().forward(z)\n");
    if (net.network() == Network.GENERATOR) {
      py.append("        return ((x + 1) / 2).clamp(0, 1)  # tanh's [-1, 1] to pixels\n");
    } else if (net.spec().likelihood() == Likelihood.BERNOULLI) {
      py.append("        return torch.sigmoid(x)  # Bernoulli means from the logits\n");
    } else {
      py.append("        return x.clamp(0, 1)  # Gaussian means, clipped to pixels\n");
    }
  }

  private static void discriminator(StringBuilder py, ExportedNetwork net, Part part) {
    py.append("\n\nclass Discriminator(nn.Sequential):\n    \"\"\"Images (N, ")
        .append(net.image().channels() + ", " + net.image().height() + ", " + net.image().width())
        .append(") in [0, 1] -> logits (N, ")
        .append(net.spec().declared().outputSize())
        .append("), raw scores before any sigmoid.\"\"\"\n\n    def __init__(self):\n")
        .append("        super().__init__(\n");
    sequence(py, part, "            ");
    py.append("        )\n\n    def forward(self, x):\n")
        .append("        return super().forward(x * 2 - 1)  # trained on pixels in [-1, 1]\n");
  }

  private static void encoder(StringBuilder py, ExportedNetwork net, List<Part> parts) {
    py.append("\n\nclass Encoder(nn.Module):\n    \"\"\"Images (N, ")
        .append(net.image().channels() + ", " + net.image().height() + ", " + net.image().width())
        .append(") in [0, 1] -> (mean, log_variance), each (N, LATENT): q(z|x).\"\"\"\n\n")
        .append("    def __init__(self):\n        super().__init__()\n        self.encoder = ")
        .append("nn.Sequential(\n");
    sequence(py, parts.get(0), "            ");
    py.append("        )\n");
    for (Part head : parts.subList(1, parts.size())) {
      py.append("        self.").append(head.name()).append(" = ");
      py.append(module(head.layers().get(0))).append("\n");
    }
    py.append("\n    def forward(self, x):\n")
        .append("        h = self.encoder(x * 2 - 1)  # trained on pixels in [-1, 1]\n")
        .append("        return self.mean(h), self.log_variance(h)\n");
  }

  static void sequence(StringBuilder py, Part part, String indent) {
    for (int i = 0; i < part.layers().size(); i++) {
      py.append(indent)
          .append(module(part.layers().get(i)))
          .append(",  # ")
          .append(i)
          .append(": ")
          .append(part.shapes().get(i).replace("×", " x "))
          .append("\n");
    }
  }

  /** The torch.nn constructor call of one layer. */
  static String module(Layer layer) {
    if (layer instanceof Layer.Conv c) {
      String conv =
          String.format(
              Locale.ROOT,
              "nn.Conv2d(%d, %d, kernel_size=%s, stride=%s, padding=%s, dilation=%s, bias=%s)",
              c.in(),
              c.out(),
              pair(c.kernel()),
              pair(c.stride()),
              pair(c.padding()),
              pair(c.dilation()),
              bool(c.bias()));
      return c.spectralNorm() ? "nn.utils.spectral_norm(" + conv + ")" : conv;
    }
    if (layer instanceof Layer.ConvTranspose c) {
      return String.format(
          Locale.ROOT,
          "nn.ConvTranspose2d(%d, %d, kernel_size=%s, stride=%s, padding=%s, output_padding=%s,"
              + " dilation=%s, bias=%s)",
          c.in(),
          c.out(),
          pair(c.kernel()),
          pair(c.stride()),
          pair(c.padding()),
          pair(c.outputPadding()),
          pair(c.dilation()),
          bool(c.bias()));
    }
    if (layer instanceof Layer.Dense d) {
      String linear = "nn.Linear(" + d.in() + ", " + d.out() + ", bias=" + bool(d.bias()) + ")";
      return d.spectralNorm() ? "nn.utils.spectral_norm(" + linear + ")" : linear;
    }
    if (layer instanceof Layer.BatchNorm b) {
      // DJL's momentum 0.9 weighs the running value; PyTorch's 0.1 weighs the new batch.
      return (b.spatial() ? "nn.BatchNorm2d(" : "nn.BatchNorm1d(")
          + b.features()
          + ", eps=1e-05, momentum=0.1)";
    }
    if (layer instanceof Layer.ConditionalBatchNorm b) {
      return "ConditionalBatchNorm("
          + b.features()
          + ", "
          + b.classes()
          + ", spatial="
          + bool(b.spatial())
          + ")";
    }
    if (layer instanceof Layer.Act a) return activation(a.activation());
    if (layer instanceof Layer.MaxPool p) {
      return "nn.MaxPool2d(kernel_size=" + pair(p.kernel()) + ", stride=" + pair(p.stride()) + ")";
    }
    if (layer instanceof Layer.Upsample u) {
      return "NearestResize(" + u.height() + ", " + u.width() + ")";
    }
    if (layer instanceof Layer.Flatten) return "nn.Flatten()";
    if (layer instanceof Layer.Unflatten u) {
      ImageShape s = u.shape();
      return "nn.Unflatten(1, (" + s.channels() + ", " + s.height() + ", " + s.width() + "))";
    }
    if (layer instanceof Layer.Dropout d) return "nn.Dropout(p=" + d.rate() + ")";
    throw new IllegalStateException("no torch.nn form for " + layer);
  }

  private static String activation(Activation a) {
    return switch (a.kind()) {
      case RELU -> "nn.ReLU()";
      case LEAKY_RELU -> "nn.LeakyReLU(negative_slope=" + a.slope() + ")";
      case ELU -> "nn.ELU(alpha=1.0)";
      case GELU -> "nn.GELU()";
      case TANH -> "nn.Tanh()";
      case SIGMOID -> "nn.Sigmoid()";
      case NONE -> throw new IllegalStateException("'none' adds no layer");
    };
  }

  private static String pair(Pair p) {
    return "(" + p.height() + ", " + p.width() + ")";
  }

  private static String bool(boolean b) {
    return b ? "True" : "False";
  }

  private static final String PREAMBLE =
      """
      import json
      import os

      import torch
      from torch import nn

      """;

  private static final String NEAREST_RESIZE =
      """

      class NearestResize(nn.Module):
          \"\"\"Nearest-neighbour resize to exactly (height, width), taking source row
          floor(dst * in / out) in integer arithmetic; F.interpolate computes the ratio in float
          and picks another row for some sizes (e.g. 14 -> 20).\"\"\"

          def __init__(self, height, width):
              super().__init__()
              self.height, self.width = height, width

          def forward(self, x):
              rows = torch.arange(self.height, device=x.device) * x.shape[2] // self.height
              cols = torch.arange(self.width, device=x.device) * x.shape[3] // self.width
              return x[:, :, rows][:, :, :, cols]

          def extra_repr(self):
              return f"height={self.height}, width={self.width}"
      """;

  private static final String READER =
      """


      def read_safetensors(path):
          \"\"\"The tensors of a safetensors file by name, with torch alone
          (safetensors.torch.load_file reads the same file where that package is installed).\"\"\"
          with open(path, "rb") as f:
              data = f.read()
          n = int.from_bytes(data[:8], "little")
          header = json.loads(data[8:8 + n])
          header.pop("__metadata__", None)
          types = {"F32": torch.float32, "I64": torch.int64}
          tensors = {}
          for name, t in header.items():
              begin, end = t["data_offsets"]
              raw = bytearray(data[8 + n + begin:8 + n + end])
              tensors[name] = torch.frombuffer(raw, dtype=types[t["dtype"]]).reshape(t["shape"])
          return tensors""";
}
