package org.convmirror.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.convmirror.internal.run.PathProblems;
import org.convmirror.spec.Activation;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.ConvBlock;
import org.convmirror.spec.ConvNet;
import org.convmirror.spec.DenseBlock;
import org.convmirror.spec.ImageShape;
import org.convmirror.spec.Likelihood;
import org.convmirror.spec.MaxPool;
import org.convmirror.spec.MirrorOptions;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import org.convmirror.spec.Pair;
import org.convmirror.spec.SpecException;

/**
 * Reads model files (YAML, or JSON, which is YAML too) into a {@link ModelSpec}. Every unknown key,
 * wrong type or impossible value is a {@link SpecException} naming its path.
 */
public final class ModelFiles {
  /** Built-in models, by the name {@code --model} accepts. */
  public static final List<String> BUILT_IN =
      List.of("dcgan28", "vae28", "dcgan64", "cdcgan28", "cvae28");

  private ModelFiles() {}

  /** Reads a model file. */
  public static ModelSpec read(Path file) {
    return parse(readText(file), file.toString());
  }

  /** The text of a built-in model ({@code --model dcgan28}) or of a model file. */
  public static String text(String builtInOrPath) {
    return BUILT_IN.contains(builtInOrPath)
        ? builtInText(builtInOrPath)
        : readText(Path.of(builtInOrPath));
  }

  /**
   * The text of a model file, or one line saying why there is none: missing, a folder, a FIFO or
   * device (refused before opening: reading a FIFO with no writer blocks forever), unreadable, not
   * UTF-8 text.
   */
  public static String readText(Path file) {
    String problem = PathProblems.whyNotFile(file);
    if ("does not exist".equals(problem)) {
      problem +=
          "; give a path to a .yaml/.json model file or one of the built-in models " + BUILT_IN;
    } else if (problem != null) {
      problem += "; give a .yaml/.json model file";
    }
    if (problem == null) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (MalformedInputException e) {
        problem =
            "is not a text file (it holds bytes that are not UTF-8); give a .yaml/.json model file";
      } catch (AccessDeniedException e) {
        problem = "cannot be read: permission denied; make it readable (chmod a+r)";
      } catch (NoSuchFileException e) {
        problem = "does not exist (it disappeared while being read)";
      } catch (IOException e) {
        problem = "cannot be read: " + e.getMessage();
      }
    }
    throw new SpecException("", "model file " + file + " " + problem);
  }

  /** A built-in model ({@code dcgan28} is the default GAN, {@code vae28} the default VAE). */
  public static ModelSpec builtIn(String name) {
    return parse(builtInText(name), name);
  }

  /** The text of a built-in model file, for {@code convmirror init} and documentation. */
  public static String builtInText(String name) {
    try (InputStream in =
        ModelFiles.class.getResourceAsStream("/org/convmirror/models/" + name + ".yaml")) {
      if (in == null) {
        throw new SpecException(
            "", "no built-in model '" + name + "'; built-in models are " + BUILT_IN);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Resolves {@code --model}: a built-in name or a file path. */
  public static ModelSpec resolve(String nameOrPath) {
    return BUILT_IN.contains(nameOrPath) ? builtIn(nameOrPath) : read(Path.of(nameOrPath));
  }

  /**
   * Parses model-file text; {@code source} names it in messages, and a {@code .json} one is read as
   * strict JSON (see {@link StrictReader}).
   */
  public static ModelSpec parse(String text, String source) {
    if (source == null) source = "the model";
    if (text == null) {
      throw new SpecException(
          "", source + ": no model text (a run's run.json without model_yaml?)");
    }
    JsonNode root = StrictReader.read(text, source);
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new SpecException("", source + ": the model file is empty");
    }
    return model(new Node(root, ""));
  }

  private static ModelSpec model(Node root) {
    // The halves' sections are named as the spec names them.
    String discriminator = ModelKind.GAN.declaredName();
    String generator = ModelKind.GAN.derivedName();
    String encoder = ModelKind.VAE.declaredName();
    String decoder = ModelKind.VAE.derivedName();
    root.onlyKeys(
        "name", "image", "latent", discriminator, generator, encoder, decoder, "conditional");
    boolean gan = root.has(discriminator);
    boolean vae = root.has(encoder);
    if (gan == vae) {
      throw root.error(
          gan
              ? "declare either discriminator (GAN) or encoder (VAE), not both"
              : "missing 'discriminator' (for a GAN) or 'encoder' (for a VAE)");
    }
    ModelKind kind = gan ? ModelKind.GAN : ModelKind.VAE;
    String wrongSide = gan ? decoder : generator;
    if (root.has(wrongSide)) {
      throw root.get(wrongSide)
          .error(
              "belongs to a "
                  + (gan ? "VAE (encoder)" : "GAN (discriminator)")
                  + "; use '"
                  + kind.derivedName()
                  + "'");
    }
    if (!root.has("image")) throw root.error("missing 'image' ({channels, height, width})");
    if (!root.has("latent")) throw root.error("missing 'latent' (the latent vector's size)");
    ImageShape image = image(root.get("image"));
    int latent = root.get("latent").integer(1);
    ConvNet net = convNet(root.get(kind.declaredName()), image);
    Likelihood likelihood = null;
    MirrorOptions mirror = MirrorOptions.defaults(kind);
    if (root.has(kind.derivedName())) {
      Node d = root.get(kind.derivedName());
      if (kind == ModelKind.VAE) {
        d.onlyKeys(
            "hidden_activation",
            "output_activation",
            "batch_norm",
            "bias",
            "spectral_norm",
            "dropout",
            "likelihood");
        likelihood = d.has("likelihood") ? likelihood(d.get("likelihood")) : Likelihood.BERNOULLI;
        mirror = MirrorOptions.vae(likelihood);
      } else {
        d.onlyKeys(
            "hidden_activation",
            "output_activation",
            "batch_norm",
            "bias",
            "spectral_norm",
            "dropout");
      }
      mirror = mirrorOptions(d, mirror);
    }
    MirrorOptions options = mirror;
    Likelihood lik = likelihood;
    Conditioning c = root.has("conditional") ? conditional(root.get("conditional")) : null;
    return wrap("", () -> new ModelSpec(kind, image, latent, net, options, lik, c)).value;
  }

  /** {@code conditional: {classes: 10 | auto, embedding: 50, batch_norm: false, names: [...]}}. */
  private static Conditioning conditional(Node n) {
    n.onlyKeys("classes", "embedding", "batch_norm", "names");
    if (!n.has("classes")) {
      throw n.error("missing 'classes' (a number ≥ 2, or auto to count the data's classes)");
    }
    Node c = n.get("classes");
    int classes;
    if (c.value.isTextual()) {
      if (!c.text().strip().equalsIgnoreCase("auto")) {
        throw c.error("must be a number ≥ 2 or auto, was " + c.describe());
      }
      classes = Conditioning.AUTO;
    } else {
      classes = c.integer(2);
    }
    int embedding = n.has("embedding") ? n.get("embedding").integer(1) : Conditioning.EMBEDDING;
    boolean batchNorm = n.has("batch_norm") && n.get("batch_norm").bool();
    List<String> names = new ArrayList<>();
    if (n.has("names")) for (Node name : n.get("names").list()) names.add(name.text());
    return wrap(n.path, () -> new Conditioning(classes, embedding, batchNorm, names)).value;
  }

  private static ImageShape image(Node n) {
    n.onlyKeys("channels", "height", "width");
    for (String k : List.of("channels", "height", "width")) {
      if (!n.has(k)) throw n.error("missing '" + k + "'");
    }
    int c = n.get("channels").integer(1);
    int h = n.get("height").integer(1);
    int w = n.get("width").integer(1);
    return wrap(n.path, () -> new ImageShape(c, h, w)).value;
  }

  private static ConvNet convNet(Node n, ImageShape image) {
    n.onlyKeys("conv", "dense");
    if (!n.has("conv")) throw n.error("missing 'conv' (the list of convolutional blocks)");
    List<ConvBlock> conv = new ArrayList<>();
    for (Node b : n.get("conv").list()) conv.add(convBlock(b));
    List<DenseBlock> dense = new ArrayList<>();
    if (n.has("dense")) for (Node b : n.get("dense").list()) dense.add(denseBlock(b));
    return wrap(n.path, () -> new ConvNet(image, conv, dense)).value;
  }

  private static ConvBlock convBlock(Node n) {
    n.onlyKeys(
        "filters",
        "kernel",
        "stride",
        "padding",
        "dilation",
        "bias",
        "batch_norm",
        "spectral_norm",
        "activation",
        "max_pool",
        "dropout");
    if (!n.has("filters")) throw n.error("missing 'filters' (output channels)");
    if (!n.has("kernel")) throw n.error("missing 'kernel'");
    ConvBlock.Builder b = ConvBlock.builder(n.get("filters").integer(1), pair(n.get("kernel"), 1));
    if (n.has("stride")) b.stride(pair(n.get("stride"), 1));
    if (n.has("padding")) b.padding(pair(n.get("padding"), 0));
    if (n.has("dilation")) b.dilation(pair(n.get("dilation"), 1));
    if (n.has("batch_norm")) b.batchNorm(n.get("batch_norm").bool());
    if (n.has("bias")) b.bias(n.get("bias").bool());
    if (n.has("spectral_norm")) b.spectralNorm(n.get("spectral_norm").bool());
    if (n.has("activation")) b.activation(activation(n.get("activation")));
    if (n.has("max_pool")) b.maxPool(maxPool(n.get("max_pool")));
    if (n.has("dropout")) b.dropout(dropout(n.get("dropout")));
    return wrap(n.path, b::build).value;
  }

  private static DenseBlock denseBlock(Node n) {
    n.onlyKeys("units", "bias", "batch_norm", "spectral_norm", "activation", "dropout");
    if (!n.has("units")) throw n.error("missing 'units'");
    int units = n.get("units").integer(1);
    boolean bn = n.has("batch_norm") && n.get("batch_norm").bool();
    boolean bias = n.has("bias") ? n.get("bias").bool() : !bn;
    boolean sn = n.has("spectral_norm") && n.get("spectral_norm").bool();
    Activation act = n.has("activation") ? activation(n.get("activation")) : Activation.LEAKY_RELU;
    double dropout = n.has("dropout") ? dropout(n.get("dropout")) : 0;
    return wrap(n.path, () -> new DenseBlock(units, bias, bn, sn, act, dropout)).value;
  }

  private static MirrorOptions mirrorOptions(Node n, MirrorOptions d) {
    Activation hidden =
        n.has("hidden_activation") ? activation(n.get("hidden_activation")) : d.hiddenActivation();
    Activation output =
        n.has("output_activation") ? activation(n.get("output_activation")) : d.outputActivation();
    boolean bn = n.has("batch_norm") ? n.get("batch_norm").bool() : d.batchNorm();
    boolean bias = n.has("bias") ? n.get("bias").bool() : d.bias();
    boolean sn = n.has("spectral_norm") ? n.get("spectral_norm").bool() : d.spectralNorm();
    double dropout = n.has("dropout") ? dropout(n.get("dropout")) : d.dropout();
    return wrap(n.path, () -> new MirrorOptions(hidden, output, bn, bias, sn, dropout)).value;
  }

  /** {@code 3} or {@code [3, 5]} (height, width). */
  private static Pair pair(Node n, int min) {
    if (n.value.isArray()) {
      if (n.value.size() != 2)
        throw n.error("must be one integer or [height, width], was " + n.describe());
      List<Node> hw = n.list();
      return Pair.of(hw.get(0).integer(min), hw.get(1).integer(min));
    }
    if (!n.value.isIntegralNumber())
      throw n.error("must be one integer or [height, width], was " + n.describe());
    return Pair.of(n.integer(min));
  }

  /** {@code 2}, {@code [2, 3]} or {@code {kernel: 3, stride: 2}}. */
  private static MaxPool maxPool(Node n) {
    if (n.value.isObject()) {
      n.onlyKeys("kernel", "stride");
      if (!n.has("kernel")) throw n.error("missing 'kernel'");
      Pair k = pair(n.get("kernel"), 1);
      return new MaxPool(k, n.has("stride") ? pair(n.get("stride"), 1) : k);
    }
    Pair k = pair(n, 1);
    return new MaxPool(k, k);
  }

  private static Activation activation(Node n) {
    return wrap(n.path, () -> Activation.parse(n.text())).value;
  }

  private static double dropout(Node n) {
    double p = n.number();
    if (p < 0 || p >= 1) throw n.error("must be in [0, 1), was " + p);
    return p;
  }

  private static Likelihood likelihood(Node n) {
    String t = n.text().trim().toUpperCase(Locale.ROOT);
    try {
      return Likelihood.valueOf(t);
    } catch (IllegalArgumentException e) {
      throw n.error("must be bernoulli, gaussian or gaussian_learned, was " + n.describe());
    }
  }

  /** Runs a constructor, re-rooting its relative error path under {@code path}. */
  private static <T> Built<T> wrap(String path, java.util.function.Supplier<T> make) {
    try {
      return new Built<>(make.get());
    } catch (SpecException e) {
      throw e.under(path);
    }
  }

  private record Built<T>(T value) {}
}
