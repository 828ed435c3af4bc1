package org.convmirror.internal.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.convmirror.error.UsageException;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.config.ModelWriter;
import org.convmirror.internal.nn.EngineSetup;
import org.convmirror.internal.nn.MixedPrecision;
import org.convmirror.internal.run.RunNames;
import org.convmirror.options.TrainConfig;
import org.convmirror.spec.ModelKind;
import org.convmirror.spec.ModelSpec;

/**
 * {@code convmirror import} as a library: PyTorch weights (safetensors under the names export
 * writes) for a model file, made into a new run to sample, evaluate or continue training. Every
 * file is read and checked in full before anything is built or written.
 */
public final class Importer {
  private Importer() {}

  /**
   * What to import.
   *
   * @param model a built-in model name or a model file
   * @param files the safetensors file of each network given
   * @param runs where the run directory goes
   * @param name the run's name, or null for a timestamp
   * @param seed seeds fresh networks, noise and sampling; null for the seed export recorded in the
   *     derived network's file, else {@link TrainConfig#SEED}
   * @param train what {@code train --resume} continues with: data, batch size, threads
   * @param commandLine recorded in the run's provenance
   */
  public record Request(
      String model,
      Map<Network, Path> files,
      Path runs,
      String name,
      Long seed,
      TrainConfig.Builder train,
      List<String> commandLine) {}

  /**
   * What was made.
   *
   * @param run the new run directory
   * @param seed the seed it records
   * @param fresh the networks of the model that were not given and start freshly initialised
   */
  public record Imported(Path run, long seed, List<Network> fresh) {}

  /** Checks every file, then writes the run. */
  public static Imported run(Request r) throws IOException {
    String text = ModelFiles.text(r.model()); // read once: the spec and the run's record
    ModelSpec spec = ModelFiles.parse(text, r.model());
    for (Network n : r.files().keySet()) {
      if (n.kind() != spec.kind()) {
        throw new UsageException(
            "--"
                + n.cliName()
                + " belongs to a "
                + n.kind()
                + "; the model is a "
                + (n.kind() == ModelKind.GAN ? ModelKind.VAE : ModelKind.GAN));
      }
    }
    Network derived = Network.derived(spec.kind());
    if (!r.files().containsKey(derived)) {
      throw new UsageException(
          "a "
              + spec.kind()
              + " import needs --"
              + derived.cliName()
              + " FILE (the weights images are drawn with)");
    }
    if (spec.isConditional()) {
      ModelSpec resolved = ImportedClasses.resolve(spec, r.files().get(derived), r.model());
      if (!resolved.equals(spec)) {
        spec = resolved;
        text = ModelWriter.yaml(spec);
      }
    }
    // `train --resume` without --epochs trains one epoch; with --epochs N, N more.
    TrainConfig train = r.train().model(r.model(), text).epochs(1).build(); // refuses bad ones now
    // The run records a concrete precision, as a trained run does.
    train = train.toBuilder().precision(MixedPrecision.resolve(train.precision())).build();
    RunNames.checkAvailable(r.runs(), r.name()); // before the weights are read
    Map<Network, Map<String, Tensor>> weights = new EnumMap<>(Network.class);
    Long recorded = null;
    List<String> sources = new ArrayList<>();
    for (Map.Entry<Network, Path> e : new EnumMap<>(r.files()).entrySet()) {
      SafeTensors.Contents c = StateDictCheck.read(e.getValue(), e.getKey(), spec, r.model());
      weights.put(e.getKey(), c.tensors());
      if (e.getKey() == derived) recorded = recordedSeed(c.metadata());
      sources.add(e.getKey().cliName() + "=" + e.getValue() + " sha256:" + c.sha256());
    }
    long seed = r.seed() != null ? r.seed() : recorded != null ? recorded : TrainConfig.SEED;
    EngineSetup.configure(train.threads());
    Path run =
        ImportedRun.write(
            spec,
            train.toBuilder().seed(seed).build(),
            weights,
            new ImportedRun.Settings(
                r.runs(), r.name(), r.commandLine(), "imported: " + String.join(", ", sources)));
    List<Network> fresh = new ArrayList<>();
    for (Network n : List.of(derived, Network.declared(spec.kind()))) {
      if (!r.files().containsKey(n)) fresh.add(n);
    }
    return new Imported(run, seed, fresh);
  }

  /** The seed 'convmirror export' recorded, so the import samples exactly like the original. */
  private static Long recordedSeed(Map<String, String> metadata) {
    try {
      return metadata.containsKey("seed") ? Long.parseLong(metadata.get("seed")) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
