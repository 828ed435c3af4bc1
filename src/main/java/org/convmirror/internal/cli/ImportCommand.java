package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.convmirror.error.UsageException;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.export.ImportedRun;
import org.convmirror.internal.export.Network;
import org.convmirror.internal.export.SafeTensors;
import org.convmirror.internal.export.StateDictCheck;
import org.convmirror.internal.export.Tensor;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.options.TrainConfig;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convmirror import}: PyTorch weights (safetensors under the names {@code export} writes)
 * for a model file, as a new run to sample, evaluate or continue training. Every file is checked in
 * full before anything is written.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Make a run from PyTorch state dicts in safetensors files for a model file.",
      "The keys are the ones 'convmirror export' writes (0.weight, 1.running_mean, ...).",
      "A network not given starts from a fresh initialisation.",
      "Then: convmirror sample / evaluate / train --resume RUN."
    })
final class ImportCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "MODEL",
      description = "Built-in model (dcgan28, vae28, dcgan64) or a .yaml/.json model file.")
  String model;

  @Option(names = "--generator", paramLabel = "FILE", description = "GAN generator weights.")
  Path generator;

  @Option(
      names = "--discriminator",
      paramLabel = "FILE",
      description = "GAN discriminator weights.")
  Path discriminator;

  @Option(names = "--decoder", paramLabel = "FILE", description = "VAE decoder weights.")
  Path decoder;

  @Option(
      names = "--encoder",
      paramLabel = "FILE",
      description = "VAE encoder weights (encoder.*, mean.*, log_variance.*).")
  Path encoder;

  @Option(
      names = "--runs",
      defaultValue = "runs",
      paramLabel = "DIR",
      description = "Where run directories go. Default: ${DEFAULT-VALUE}.")
  Path runs;

  @Option(names = "--name", description = "Run name (default: a timestamp).")
  String name;

  @Option(
      names = "--seed",
      description =
          "Seeds fresh networks, noise and sampling. Default: the seed recorded by"
              + " 'convmirror export' in the file, else "
              + TrainConfig.SEED
              + ".")
  Long seed;

  @Option(
      names = "--data",
      paramLabel = "PATH|synthetic[:N]",
      description = "Data that 'train --resume' continues on (default: Fashion-MNIST).")
  String data;

  @Option(names = "--dataset", paramLabel = "NAME", description = "Named dataset: fashion-mnist.")
  String dataset;

  @Option(
      names = "--batch-size",
      defaultValue = "" + TrainConfig.BATCH_SIZE,
      description = "Batch size for continued training. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Mixin ThreadsOption engine;

  @Override
  public Integer call() throws IOException {
    ModelSpec spec = ModelFiles.resolve(model);
    String text = ModelFiles.BUILT_IN.contains(model) ? ModelFiles.builtInText(model) : readModel();
    boolean gan = spec.kind() == ModelKind.GAN;
    Map<Network, Path> files = new EnumMap<>(Network.class);
    put(files, Network.GENERATOR, generator, gan);
    put(files, Network.DISCRIMINATOR, discriminator, gan);
    put(files, Network.DECODER, decoder, !gan);
    put(files, Network.ENCODER, encoder, !gan);
    Network derived = Network.derived(spec.kind());
    if (!files.containsKey(derived)) {
      throw new UsageException(
          "a "
              + spec.kind()
              + " import needs --"
              + derived.cliName()
              + " FILE (the weights images are drawn with)");
    }
    if (batchSize < 2) throw new UsageException("--batch-size must be ≥ 2, was " + batchSize);
    if (name != null && Files.isDirectory(runs.resolve(name)) && !isEmpty(runs.resolve(name))) {
      throw new UsageException(
          "run directory " + runs.resolve(name) + " already exists; choose another --name");
    }
    // Every file is read and checked before anything is built or written.
    Map<Network, Map<String, Tensor>> weights = new EnumMap<>(Network.class);
    Long recorded = null;
    List<String> sources = new ArrayList<>();
    for (Map.Entry<Network, Path> e : files.entrySet()) {
      SafeTensors.Contents c = StateDictCheck.read(e.getValue(), e.getKey(), spec, model);
      weights.put(e.getKey(), c.tensors());
      if (e.getKey() == derived) recorded = recordedSeed(c.metadata());
      sources.add(e.getKey().cliName() + "=" + e.getValue() + " sha256:" + c.sha256());
    }
    long s = seed != null ? seed : recorded != null ? recorded : TrainConfig.SEED;
    EngineSetup.configure(engine.threads);
    List<String> commandLine = new ArrayList<>(List.of("convmirror"));
    commandLine.addAll(Main.arguments());
    Path run =
        ImportedRun.write(
            spec,
            model,
            text,
            weights,
            new ImportedRun.Settings(
                runs,
                name,
                s,
                dataset,
                data,
                batchSize,
                engine.threads,
                commandLine,
                "imported: " + String.join(", ", sources)));
    for (Map.Entry<Network, Path> e : files.entrySet()) {
      System.out.println("imported " + e.getKey().cliName() + " from " + e.getValue());
    }
    for (Network n : List.of(derived, Network.declared(spec.kind()))) {
      if (!files.containsKey(n)) {
        System.out.println(
            n.cliName()
                + ": freshly initialised (seed "
                + s
                + "); --"
                + n.cliName()
                + " FILE imports one");
      }
    }
    System.out.println(
        "run "
            + run
            + ", checkpoint step-0000000 (seed "
            + s
            + "): convmirror sample "
            + run
            + "; continue training with convmirror train --resume "
            + run
            + " --epochs N");
    return 0;
  }

  private static void put(Map<Network, Path> files, Network n, Path file, boolean fits) {
    if (file == null) return;
    if (!fits) {
      throw new UsageException(
          "--"
              + n.cliName()
              + " belongs to a "
              + n.kind()
              + "; the model is a "
              + (n.kind() == ModelKind.GAN ? ModelKind.VAE : ModelKind.GAN));
    }
    files.put(n, file);
  }

  /** The seed 'convmirror export' recorded, so the import samples exactly like the original. */
  private static Long recordedSeed(Map<String, String> metadata) {
    try {
      return metadata.containsKey("seed") ? Long.parseLong(metadata.get("seed")) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private String readModel() {
    try {
      return Files.readString(Path.of(model));
    } catch (NoSuchFileException e) {
      throw new UsageException("model file " + model + " does not exist");
    } catch (IOException e) {
      throw new UsageException("cannot read model file " + model + ": " + e.getMessage());
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
