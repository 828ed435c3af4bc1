package org.convmirror.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.List;
import org.convmirror.nn.FusedUpdates;

/**
 * An exponential moving average of the generator's weights (Yazici et al. 2019, "The Unusual
 * Effectiveness of Averaging in GAN Training"), with StyleGAN's ramp (Karras et al. 2019): a
 * half-life of 10k images, shortened to 5% of the images seen early on, so the average is not
 * dominated by the random initialisation after one small epoch.
 */
final class GeneratorAverage {
  static final double HALF_LIFE_IMAGES = 10_000;
  static final double RAMP_UP = 0.05;

  private GeneratorAverage() {}

  /** The weight of the old average after a step of {@code batch} images. */
  static float decay(long imagesSeen, int batch) {
    double halfLife = Math.min(HALF_LIFE_IMAGES, imagesSeen * RAMP_UP);
    return halfLife <= 0 ? 0f : (float) Math.pow(0.5, batch / halfLife);
  }

  /** average ← decay·average + (1 − decay)·live for trainable weights; other state is copied. */
  static void update(Block live, Block average, float decay, NDManager manager) {
    update(live, average, decay, manager, FusedUpdates.enabled());
  }

  /** {@link #update(Block, Block, float, NDManager)} in one engine call, or op by op. */
  static void update(Block live, Block average, float decay, NDManager manager, boolean fused) {
    if (fused) {
      FusedUpdates.average(live, average, decay, 1 - decay);
      return;
    }
    List<Parameter> from = live.getParameters().values();
    List<Parameter> to = average.getParameters().values();
    try (NDManager tmp = manager.newSubManager()) {
      NDArray keep = tmp.create(decay); // engine scalars, not one Number→buffer per parameter
      NDArray take = tmp.create(1 - decay);
      for (int i = 0; i < from.size(); i++) {
        NDArray src = from.get(i).getArray();
        NDArray dst = to.get(i).getArray();
        if (from.get(i).requiresGradient()) {
          src.tempAttach(tmp); // so that src.mul lands in tmp, not in the model's manager
          dst.muli(keep).addi(src.mul(take));
        } else {
          dst.subi(dst).addi(src); // in place: no buffer through the JVM per step
        }
      }
    }
  }

  /** Makes {@code average} an exact copy of {@code live}. */
  static void copy(Block live, Block average) {
    List<Parameter> from = live.getParameters().values();
    List<Parameter> to = average.getParameters().values();
    for (int i = 0; i < from.size(); i++) {
      to.get(i).getArray().set(from.get(i).getArray().toByteBuffer());
    }
  }
}
