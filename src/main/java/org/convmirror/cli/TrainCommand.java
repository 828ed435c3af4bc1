package org.convmirror.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.convmirror.Training;
import org.convmirror.gan.GanLoss;
import org.convmirror.gan.GanOptions;
import org.convmirror.spec.ModelKind;
import org.convmirror.train.TrainConfig;
import org.convmirror.vae.VaeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code convmirror train}: flags to {@link Training}'s settings, nothing else. Every option left
 * out keeps the default documented at its field ({@link TrainConfig}, {@link GanOptions}, {@link
 * VaeOptions}).
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a GAN (generator mirrored from a declared discriminator) or a VAE (decoder mirrored).",
      "With no options: the default DCGAN on Fashion-MNIST for 5 epochs."
    })
final class TrainCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      defaultValue = "dcgan28",
      paramLabel = "NAME|FILE",
      description = "Built-in model (dcgan28, vae28, dcgan64) or a model file. Default: dcgan28.")
  String model;

  @Option(names = "--dataset", paramLabel = "NAME", description = "Named dataset: fashion-mnist.")
  String dataset;

  @Option(
      names = "--data",
      paramLabel = "PATH|synthetic[:N]",
      description = "IDX file or folder, image folder (PNG/JPEG), or synthetic shapes.")
  String data;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Epochs to train. Default: " + TrainConfig.EPOCHS + "; with --resume: N more.")
  Integer epochs;

  @Option(names = "--batch-size", description = "Default: " + TrainConfig.BATCH_SIZE + ".")
  Integer batchSize;

  @Option(names = "--seed", description = "Seeds every random draw. Default: 42.")
  Long seed;

  @Option(names = "--loss", description = "GAN: bce, lsgan, hinge, wasserstein. Default: bce.")
  String loss;

  @Option(names = "--lr", description = "Adam's learning rate. Default: 2e-4 GAN, 1e-3 VAE.")
  Float lr;

  @Option(names = "--beta1", description = "Adam's β1. Default: 0.5 GAN, 0.9 VAE.")
  Float beta1;

  @Option(names = "--beta2", description = "Adam's β2. Default: 0.999.")
  Float beta2;

  @Option(names = "--d-steps", description = "GAN: D updates per G update. Default: 1.")
  Integer dSteps;

  @Option(names = "--real-label", description = "GAN: target for real images. Default: 1.0.")
  Float realLabel;

  @Option(names = "--clip", description = "GAN: weight bound, --loss wasserstein. Default: 0.01.")
  Float clip;

  @Option(names = "--kl-weight", description = "VAE: β, the KL term's weight. Default: 1.")
  Float klWeight;

  @Option(
      names = "--kl-warmup",
      paramLabel = "EPOCHS",
      description = "VAE: epochs over which β ramps up from 0. Default: 0.")
  Integer klWarmup;

  @Option(names = "--runs", paramLabel = "DIR", description = "Run folder. Default: runs.")
  Path runs = Path.of("runs");

  @Option(names = "--name", description = "Run name. Default: a timestamp.")
  String name;

  @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue a run.")
  Path resume;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      description =
          "Also checkpoint every N iterations (0: epoch ends only). Default: "
              + TrainConfig.CHECKPOINT_EVERY
              + ".")
  Integer checkpointEvery;

  @Option(
      names = "--eval-every",
      paramLabel = "K",
      description = "Every K epochs: score the model, keep checkpoints/best. Default: 0 (off).")
  int evalEvery;

  @Option(
      names = "--eval-count",
      paramLabel = "N",
      description = "Images per evaluation. Default: " + TrainConfig.EVAL_COUNT + ".")
  int evalCount = TrainConfig.EVAL_COUNT;

  @Option(names = "--classifier", paramLabel = "FILE", description = "Feature classifier.")
  Path classifier;

  @Mixin ThreadsOption engine;

  @Option(names = "--quiet", description = "Log lines instead of a live progress bar.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    boolean interactive = !quiet && System.console() != null;
    Training.Result r =
        resume != null
            ? Training.resume(resume, epochs, System.out, interactive)
            : configure(Training.of(model)).console(System.out, interactive).train();
    if (r.trained()) System.out.println("done: " + r.summary());
    return 0;
  }

  private Training configure(Training t) {
    t.dataset(dataset).data(data).threads(engine.threads).into(runs, name);
    if (epochs != null) t.epochs(epochs);
    if (batchSize != null) t.batchSize(batchSize);
    if (seed != null) t.seed(seed);
    if (checkpointEvery != null) t.checkpointEvery(checkpointEvery);
    t.evaluation(evalEvery, evalCount, classifier);
    List<String> cmd = new ArrayList<>(List.of("convmirror"));
    cmd.addAll(Main.arguments());
    t.commandLine(cmd);
    return t.spec().kind() == ModelKind.GAN ? t.gan(ganOptions()) : t.vae(vaeOptions());
  }

  private GanOptions ganOptions() {
    GanOptions.Builder b = GanOptions.builder();
    if (loss != null) b.loss(GanLoss.of(loss));
    if (lr != null) b.learningRate(lr);
    if (beta1 != null) b.beta1(beta1);
    if (beta2 != null) b.beta2(beta2);
    if (dSteps != null) b.discriminatorSteps(dSteps);
    if (realLabel != null) b.realLabel(realLabel);
    if (clip != null) b.clip(clip);
    return b.build();
  }

  private VaeOptions vaeOptions() {
    VaeOptions.Builder b = VaeOptions.builder();
    if (lr != null) b.learningRate(lr);
    if (beta1 != null) b.beta1(beta1);
    if (beta2 != null) b.beta2(beta2);
    if (klWeight != null) b.klWeight(klWeight);
    if (klWarmup != null) b.klWarmupEpochs(klWarmup);
    return b.build();
  }
}
