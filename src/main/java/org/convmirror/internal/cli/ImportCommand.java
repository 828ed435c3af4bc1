package org.convmirror.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.convmirror.internal.export.Importer;
import org.convmirror.internal.export.Network;
import org.convmirror.options.TrainConfig;
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
    Map<Network, Path> files = new EnumMap<>(Network.class);
    if (generator != null) files.put(Network.GENERATOR, generator);
    if (discriminator != null) files.put(Network.DISCRIMINATOR, discriminator);
    if (decoder != null) files.put(Network.DECODER, decoder);
    if (encoder != null) files.put(Network.ENCODER, encoder);
    List<String> commandLine = new ArrayList<>(List.of("convmirror"));
    commandLine.addAll(Main.arguments());
    TrainConfig.Builder train =
        TrainConfig.builder(model, null)
            .dataset(dataset)
            .data(data)
            .batchSize(batchSize)
            .threads(engine.threads);
    Importer.Imported r =
        Importer.run(new Importer.Request(model, files, runs, name, seed, train, commandLine));
    files.forEach((n, f) -> System.out.println("imported " + n.cliName() + " from " + f));
    for (Network n : r.fresh()) {
      System.out.println(
          n.cliName()
              + ": freshly initialised (seed "
              + r.seed()
              + "); --"
              + n.cliName()
              + " FILE imports one");
    }
    System.out.println(
        "run "
            + r.run()
            + ", checkpoint step-0000000 (seed "
            + r.seed()
            + "): convmirror sample "
            + r.run()
            + "; continue training with convmirror train --resume "
            + r.run()
            + " --epochs N");
    return 0;
  }
}
