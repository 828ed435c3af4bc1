package org.convmirror.internal.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.List;
import org.convmirror.internal.nn.FusedUpdates;
import org.convmirror.internal.nn.InPlace;
import org.convmirror.options.Average;

/**
 * The update of an exponential moving average of the generator's weights (Yazici et al. 2019, "The
 * Unusual Effectiveness of Averaging in GAN Training"); its decay schedule is {@link Average}.
 */
final class GeneratorAverage {
  private GeneratorAverage() {}

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
      InPlace.copy(from.get(i).getArray(), to.get(i).getArray());
    }
  }
}
