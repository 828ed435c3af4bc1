package org.convmirror.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.convmirror.config.ModelFiles;
import org.convmirror.data.DataSources;
import org.convmirror.data.ImageSet;
import org.convmirror.data.Split;
import org.convmirror.gan.GanRun;
import org.convmirror.mirror.Mirror;
import org.convmirror.run.Provenance;
import org.convmirror.run.RunDirectory;
import org.convmirror.run.TrainConfig;
import org.convmirror.shape.PlanTable;
import org.convmirror.shape.Planner;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;
import org.convmirror.vae.VaeRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code convmirror train}: the main job. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a GAN (discriminator declared, generator mirrored) or a VAE (encoder declared, decoder mirrored).",
      "With no options: the default DCGAN on Fashion-MNIST."
    })
final class TrainCommand implements Callable<Integer> {
  /** DCGAN's Adam settings (Radford et al. 2015): 0.9 for β1 made their training oscillate. */
  static final float GAN_LR = 2e-4f;

  static final float GAN_BETA1 = 0.5f;

  /** Adam's own defaults with a larger step: a VAE has a single, stationary objective. */
  static final float VAE_LR = 1e-3f;

  static final float VAE_BETA1 = 0.9f;

  @Option(
      names = "--model",
      defaultValue = "dcgan28",
      paramLabel = "NAME|FILE",
      description =
          "Built-in model (dcgan28, vae28, dcgan64) or a .yaml/.json model file. Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(
      names = "--dataset",
      paramLabel = "NAME",
      description = "Named dataset: fashion-mnist (the default when --data is absent).")
  String dataset;

  @Option(
      names = "--data",
      paramLabel = "PATH|synthetic[:N]",
      description =
          "IDX file or folder (MNIST family), image folder (PNG/JPEG), or synthetic shapes.")
  String data;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Epochs to train (default 5); with --resume: N more epochs.")
  Integer epochs;

  @Option(
      names = "--batch-size",
      defaultValue = "64",
      description = "Images per batch. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seeds initialisation, data order and noise. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--loss",
      defaultValue = "bce",
      description =
          "GAN objective: bce (non-saturating, on logits), lsgan, hinge, wasserstein (weight clipping). Default: ${DEFAULT-VALUE}.")
  String loss;

  @Option(
      names = "--lr",
      description = "Adam learning rate. Default: 2e-4 for a GAN (DCGAN), 1e-3 for a VAE.")
  Float lr;

  @Option(
      names = "--beta1",
      description = "Adam β1. Default: 0.5 for a GAN (DCGAN), 0.9 for a VAE (Adam's own).")
  Float beta1;

  @Option(
      names = "--beta2",
      defaultValue = "0.999",
      description = "Adam β2. Default: ${DEFAULT-VALUE}.")
  float beta2;

  @Option(
      names = "--d-steps",
      defaultValue = "1",
      description = "Discriminator updates per generator update. Default: ${DEFAULT-VALUE}.")
  int dSteps;

  @Option(
      names = "--real-label",
      defaultValue = "1.0",
      description =
          "Target for real images; 0.9 is one-sided label smoothing. Default: ${DEFAULT-VALUE}.")
  float realLabel;

  @Option(
      names = "--clip",
      defaultValue = "0.01",
      description = "Weight clipping bound for --loss wasserstein. Default: ${DEFAULT-VALUE}.")
  float clip;

  @Option(
      names = "--kl-weight",
      defaultValue = "1.0",
      description = "VAE: β, the weight of the KL term. Default: ${DEFAULT-VALUE}.")
  float klWeight;

  @Option(
      names = "--kl-warmup",
      defaultValue = "0",
      paramLabel = "EPOCHS",
      description = "VAE: epochs over which β ramps up linearly from 0. Default: ${DEFAULT-VALUE}.")
  int klWarmup;

  @Option(
      names = "--runs",
      defaultValue = "runs",
      paramLabel = "DIR",
      description = "Where run directories go. Default: ${DEFAULT-VALUE}.")
  Path runs;

  @Option(names = "--name", description = "Run name (default: a timestamp).")
  String name;

  @Option(
      names = "--resume",
      paramLabel = "RUN_DIR",
      description = "Continue a run from its latest checkpoint.")
  Path resume;

  @Option(
      names = "--checkpoint-every",
      defaultValue = "500",
      paramLabel = "N",
      description =
          "Also checkpoint every N iterations within an epoch (0: only at epoch ends). Default: ${DEFAULT-VALUE}.")
  int checkpointEvery;

  @Option(
      names = "--eval-every",
      defaultValue = "0",
      paramLabel = "K",
      description =
          "Every K epochs, score the model (Fréchet distance etc.) and keep the best checkpoint as checkpoints/best. Default: ${DEFAULT-VALUE} (off).")
  int evalEvery;

  @Option(
      names = "--eval-count",
      defaultValue = "5000",
      paramLabel = "N",
      description = "Images per evaluation during training. Default: ${DEFAULT-VALUE}.")
  int evalCount;

  @Option(
      names = "--classifier",
      paramLabel = "FILE",
      description = "Feature classifier for --eval-every (default: the shipped Fashion-MNIST one).")
  Path classifier;

  @Mixin ThreadsOption engine;

  @Option(names = "--quiet", description = "Log lines instead of a live progress bar.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    RunDirectory run;
    TrainConfig config;
    if (resume != null) {
      run = RunDirectory.openForResume(resume);
      config = run.readConfig(TrainConfig.class);
    } else {
      boolean vae = ModelFiles.parse(modelText(model), model).kind() == ModelKind.VAE;
      config =
          new TrainConfig(
              null,
              model,
              modelText(model),
              dataset,
              data,
              epochs == null ? 5 : epochs,
              batchSize,
              seed,
              loss.toLowerCase(Locale.ROOT),
              lr != null ? lr : vae ? VAE_LR : GAN_LR,
              beta1 != null ? beta1 : vae ? VAE_BETA1 : GAN_BETA1,
              beta2,
              dSteps,
              realLabel,
              clip,
              klWeight,
              klWarmup,
              checkpointEvery,
              engine.threads);
      run = null;
    }
    validate(config);
    EngineSetup.configure(config.threads());
    ModelSpec model = ModelFiles.parse(config.modelYaml(), config.model());
    String kind = model.kind() == ModelKind.GAN ? "gan" : "vae";
    ImageSet images =
        DataSources.load(
            config.dataset(),
            config.data(),
            Split.TRAIN,
            model.image().channels(),
            model.image().height(),
            model.image().width(),
            config.seed());
    config = withKind(config, kind);
    if (run == null) {
      run = RunDirectory.create(runs, name);
      run.writeRunInfo(Provenance.capture(commandLine(), config.seed(), images.identity()), config);
      out.println(model.kind() + " " + config.model() + " on " + images.identity());
      out.print(PlanTable.render(Planner.plan(model.kind().derivedName(), Mirror.of(model))));
      out.println("run directory: " + run.root());
    }
    boolean interactive = !quiet && System.console() != null;
    if (model.kind() == ModelKind.VAE) {
      if (evalEvery > 0) {
        throw new UserException(
            "--eval-every scores generated images of a GAN; a VAE reports its test −ELBO every epoch");
      }
      return trainVae(config, model, images, run, out, interactive);
    }
    GanRun.Result r;
    try (RunEvaluation evaluation =
        evalEvery > 0
            ? RunEvaluation.open(
                config, model.image(), images, classifier, evalCount, evalEvery, run, out)
            : null) {
      r =
          GanRun.train(
              config,
              model,
              images,
              run,
              out,
              interactive,
              resume == null ? null : epochs,
              evaluation);
    }
    if (r.last() != null) {
      out.printf(
          Locale.ROOT,
          "done: %d epochs, %d iterations, %.1f images/s; d_loss %.3f, g_loss %.3f; run %s%n",
          r.state().epoch(),
          r.state().iteration(),
          r.imagesPerSecond(),
          r.last().dLoss(),
          r.last().gLoss(),
          run.root());
    }
    return 0;
  }

  private int trainVae(
      TrainConfig config,
      ModelSpec model,
      ImageSet images,
      RunDirectory run,
      PrintStream out,
      boolean interactive)
      throws IOException {
    ImageSet test =
        DataSources.load(
            config.dataset(),
            config.data(),
            Split.TEST,
            model.image().channels(),
            model.image().height(),
            model.image().width(),
            config.seed());
    VaeRun.Result r =
        VaeRun.train(
            config, model, images, test, run, out, interactive, resume == null ? null : epochs);
    if (r.last() != null) {
      out.printf(
          Locale.ROOT,
          "done: %d epochs, %d iterations, %.1f images/s; test −ELBO %.2f nats/image"
              + " (recon %.2f + KL %.2f)%s; run %s%n",
          r.state().epoch(),
          r.state().iteration(),
          r.imagesPerSecond(),
          r.test().negative(),
          r.test().reconstruction(),
          r.test().kl(),
          Double.isNaN(r.floor())
              ? ""
              : String.format(Locale.ROOT, "; Bernoulli floor %.2f", r.floor()),
          run.root());
    }
    return 0;
  }

  private static TrainConfig withKind(TrainConfig c, String kind) {
    return new TrainConfig(
        kind,
        c.model(),
        c.modelYaml(),
        c.dataset(),
        c.data(),
        c.epochs(),
        c.batchSize(),
        c.seed(),
        c.loss(),
        c.learningRate(),
        c.beta1(),
        c.beta2(),
        c.discriminatorSteps(),
        c.realLabel(),
        c.clip(),
        c.klWeight(),
        c.klWarmupEpochs(),
        c.checkpointEvery(),
        c.threads());
  }

  private static void validate(TrainConfig c) {
    if (c.epochs() < 1) throw new UserException("--epochs must be ≥ 1, was " + c.epochs());
    if (c.batchSize() < 2)
      throw new UserException(
          "--batch-size must be ≥ 2 (batch norm needs two images), was " + c.batchSize());
    if (c.checkpointEvery() < 0)
      throw new UserException("--checkpoint-every must be ≥ 0, was " + c.checkpointEvery());
    List<String> losses = List.of("bce", "lsgan", "hinge", "wasserstein");
    if (!losses.contains(c.loss())) {
      throw new UserException(
          "--loss must be one of "
              + losses
              + ", was "
              + c.loss()
              + " (WGAN-GP needs double backward, which DJL does not expose; see README)");
    }
  }

  private static String modelText(String model) {
    return ModelFiles.BUILT_IN.contains(model) ? ModelFiles.builtInText(model) : readModel(model);
  }

  private static String readModel(String path) {
    String text;
    try {
      text = java.nio.file.Files.readString(Path.of(path));
    } catch (IOException e) {
      ModelFiles.read(Path.of(path)); // the model-file error for a missing or unreadable file
      throw new UserException("cannot read model file " + path + ": " + e.getMessage());
    }
    ModelFiles.parse(text, path); // one clear error for an invalid file, before anything runs
    return text;
  }

  private static List<String> commandLine() {
    List<String> all = new java.util.ArrayList<>(List.of("convmirror"));
    all.addAll(Main.arguments());
    return all;
  }
}
