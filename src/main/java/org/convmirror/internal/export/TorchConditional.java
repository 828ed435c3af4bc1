package org.convmirror.internal.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The conditional parts of {@code model.py}: the class table and {@code label()}, conditional batch
 * norm as a module, and the networks that take {@code (input, label)} — a generator or decoder that
 * joins {@code embedding(label)} to z, a projection discriminator, a CVAE encoder whose heads see
 * the one-hot label.
 */
final class TorchConditional {
  private TorchConditional() {}

  /** CLASSES, CLASS_NAMES and label(), which turns a class name or index into a label. */
  static void classes(StringBuilder py, ExportedNetwork net) {
    var c = net.spec().conditioning();
    List<String> names = new ArrayList<>();
    for (int y = 0; y < c.classes(); y++) names.add(c.name(y));
    String json;
    try {
      json = new ObjectMapper().writeValueAsString(names);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    py.append("CLASSES = ")
        .append(c.classes())
        .append("\nCLASS_NAMES = json.loads(")
        .append(pyString(json))
        .append(")  # label y is CLASS_NAMES[y]\n")
        .append(LABEL_FUNCTION);
  }

  /** A Python string literal of {@code text}: JSON's escapes are Python's. */
  static String pyString(String text) {
    try {
      return new ObjectMapper().writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The conditional network's class, after the shared definitions. */
  static void network(StringBuilder py, ExportedNetwork net) {
    List<Part> parts = net.parts();
    String image =
        net.image().channels() + ", " + net.image().height() + ", " + net.image().width();
    switch (net.network()) {
      case GENERATOR, DECODER -> {
        Part table = parts.get(0);
        Layer.Embedding e = (Layer.Embedding) table.layers().get(0);
        py.append("\n\nclass ")
            .append(net.network().className())
            .append("(nn.Module):\n    \"\"\"(z (N, LATENT), label (N) int64) -> images (N, ")
            .append(image)
            .append(") in [0, 1].\"\"\"\n\n    def __init__(self):\n        super().__init__()\n")
            .append("        self.embedding = nn.Embedding(")
            .append(e.classes() + ", " + e.width())
            .append(")  # joined to z\n        self.layers = nn.Sequential(\n");
        TorchModule.sequence(py, parts.get(1), "            ");
        py.append("        )\n");
        if (net.network().hasObservationLogVariance(net.spec())) {
          py.append("        # the learned log-variance of p(x|z, y), shared by every pixel\n")
              .append("        self.observation_log_variance = nn.Parameter(torch.zeros(1))\n");
        }
        py.append("\n    def forward(self, z, label):\n")
            .append("        x = torch.cat([z, self.embedding(label)], 1)\n");
        if (net.latentAsMap()) py.append("        x = x.reshape(x.shape[0], x.shape[1], 1, 1)\n");
        boolean cbn =
            parts.get(1).layers().stream().anyMatch(l -> l instanceof Layer.ConditionalBatchNorm);
        if (cbn) {
          py.append("        for layer in self.layers:  # conditional batch norms take the label\n")
              .append("            cbn = isinstance(layer, ConditionalBatchNorm)\n")
              .append("            x = layer(x, label) if cbn else layer(x)\n");
        } else {
          py.append("        x = self.layers(x)\n");
        }
        py.append(output(net));
      }
      case DISCRIMINATOR -> {
        Part layers = parts.get(1);
        Layer.Embedding e = (Layer.Embedding) parts.get(0).layers().get(0);
        int head = OnnxConditional.headIndex(layers);
        py.append("\n\nclass Discriminator(nn.Module):\n    \"\"\"(images (N, ")
            .append(image)
            .append(") in [0, 1], label (N) int64) -> logits (N, ")
            .append(net.spec().declared().outputSize())
            .append("): a projection discriminator\n    (Miyato & Koyama 2018), ")
            .append("psi(phi(x)) + <embedding[y], phi(x)>.\"\"\"\n\n    HEAD = ")
            .append(head)
            .append("  # the last layer; phi(x) is what enters it\n\n")
            .append("    def __init__(self):\n        super().__init__()\n")
            .append("        self.embedding = nn.Embedding(")
            .append(e.classes() + ", " + e.width())
            .append(")  # the projection V\n        self.layers = nn.Sequential(\n");
        TorchModule.sequence(py, layers, "            ");
        py.append("        )\n\n    def forward(self, x, label):\n")
            .append("        x = x * 2 - 1  # trained on pixels in [-1, 1]\n")
            .append("        for i, layer in enumerate(self.layers):\n")
            .append("            if i == self.HEAD:\n")
            .append("                phi = x.sum((2, 3)) if x.dim() == 4 else x\n")
            .append("            x = layer(x)\n")
            .append("        return x + (self.embedding(label) * phi).sum(1, keepdim=True)\n");
      }
      case ENCODER -> {
        py.append("\n\nclass Encoder(nn.Module):\n    \"\"\"(images (N, ")
            .append(image)
            .append(") in [0, 1], label (N) int64) -> (mean, log_variance), each (N, LATENT):")
            .append(" q(z|x, y).\"\"\"\n\n    def __init__(self):\n        super().__init__()\n")
            .append("        self.encoder = nn.Sequential(\n");
        TorchModule.sequence(py, parts.get(0), "            ");
        py.append("        )\n");
        for (Part head : parts.subList(1, parts.size())) {
          py.append("        self.").append(head.name()).append(" = ");
          py.append(TorchModule.module(head.layers().get(0))).append("\n");
        }
        py.append("\n    def forward(self, x, label):\n")
            .append("        h = self.encoder(x * 2 - 1)  # trained on pixels in [-1, 1]\n")
            .append(
                "        h = torch.cat([h, nn.functional.one_hot(label, CLASSES).to(h.dtype)], 1)\n")
            .append("        return self.mean(h), self.log_variance(h)\n");
      }
    }
  }

  private static String output(ExportedNetwork net) {
    if (net.network() == Network.GENERATOR) {
      return "        return ((x + 1) / 2).clamp(0, 1)  # tanh's [-1, 1] to pixels\n";
    }
    return net.spec().likelihood() == org.convmirror.spec.Likelihood.BERNOULLI
        ? "        return torch.sigmoid(x)  # Bernoulli means from the logits\n"
        : "        return x.clamp(0, 1)  # Gaussian means, clipped to pixels\n";
  }

  private static final String LABEL_FUNCTION =
      """


      def label(name_or_index):
          \"\"\"The label of a class given by name (any case) or index; ValueError naming the classes
          for anything else.\"\"\"
          text = str(name_or_index).strip()
          for y, name in enumerate(CLASS_NAMES):
              if name.lower() == text.lower():
                  return y
          if text.lstrip("-").isdigit() and 0 <= int(text) < CLASSES:
              return int(text)
          raise ValueError("class " + repr(str(name_or_index)) + ": no such class; the classes are "
                           + ", ".join("%d %s" % (y, n) for y, n in enumerate(CLASS_NAMES)))
      """;

  static final String BATCH_NORM =
      """

      class ConditionalBatchNorm(nn.Module):
          \"\"\"Conditional batch norm (de Vries et al. 2017): batch statistics shared by every class
          (norm, without scale or shift), then the scale weight[y] and shift bias[y] of each image's
          class; weight and bias are (classes, features).\"\"\"

          def __init__(self, features, classes, spatial=True):
              super().__init__()
              kind = nn.BatchNorm2d if spatial else nn.BatchNorm1d
              self.norm = kind(features, eps=1e-05, momentum=0.1, affine=False)
              self.weight = nn.Parameter(torch.ones(classes, features))
              self.bias = nn.Parameter(torch.zeros(classes, features))

          def forward(self, x, label):
              shape = (-1, x.shape[1]) + (1,) * (x.dim() - 2)
              return self.norm(x) * self.weight[label].reshape(shape) + self.bias[label].reshape(shape)
      """;
}
