package org.convmirror.internal.gan;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.convmirror.internal.nn.LatentInput;
import org.convmirror.spec.DeconvNet;
import org.convmirror.spec.ModelSpec;

/**
 * The three networks a GAN trains — the generator, its weight average and the discriminator — as
 * the model's family built and initialised them, with what they share: the manager that owns every
 * weight, the generator's input, and the names the run's checkpoints give them.
 */
public final class GanNetworks implements AutoCloseable {
  /** The checkpoint entries of a GAN: its three networks and its fixed noise. */
  public record Entries(
      String generator, String average, String discriminator, String fixedNoise) {}

  final ModelSpec spec;
  final DeconvNet generatorSpec;
  final NDManager manager;
  final LatentInput input;
  final Block generator;
  final Block average;
  final Block discriminator;
  final ParameterStore store;
  final Entries entries;

  /**
   * Networks ready to train: initialised, and the average equal to the generator.
   *
   * @param manager owns every weight; closed with these networks
   */
  public GanNetworks(
      ModelSpec spec,
      DeconvNet generatorSpec,
      NDManager manager,
      LatentInput input,
      Block generator,
      Block average,
      Block discriminator,
      Entries entries) {
    this.spec = spec;
    this.generatorSpec = generatorSpec;
    this.manager = manager;
    this.input = input;
    this.generator = generator;
    this.average = average;
    this.discriminator = discriminator;
    this.entries = entries;
    this.store = new ParameterStore(manager, false);
  }

  /** The three networks by checkpoint entry. */
  public Map<String, Block> byEntry() {
    Map<String, Block> blocks = new LinkedHashMap<>();
    blocks.put(entries.generator(), generator);
    blocks.put(entries.average(), average);
    blocks.put(entries.discriminator(), discriminator);
    return blocks;
  }

  /** Makes the weight average equal to the generator, as at the start of training. */
  public void restartAverage() {
    GeneratorAverage.copy(generator, average);
  }

  @Override
  public void close() {
    manager.close();
  }
}
