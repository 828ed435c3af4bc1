package org.convmirror.internal.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import java.util.Map;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.nn.Networks;
import org.convmirror.internal.testing.Tier;
import org.convmirror.mirror.Mirror;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * Weights go into DJL blocks under PyTorch names exactly as they came out: every layer kind, batch
 * norm and spectral norm (weight_orig, u, v) included; a block of another shape is refused.
 */
@Tier.Engine
class BlockWeightsTest {

  @Test
  void loadThenReadGivesTheSameStateDict() {
    ModelSpec spec = ModelFiles.parse(OnnxExportTest.EDGES, "edges");
    try (Fixtures f = new Fixtures();
        NDManager manager = NDManager.newBaseManager()) {
      for (Network n : new Network[] {Network.GENERATOR, Network.DISCRIMINATOR}) {
        Map<String, Tensor> exported = f.build(n, spec, 9).net().weights();
        Part part = n.parts(spec).get(0);
        SequentialBlock fresh =
            n == Network.GENERATOR ? Networks.of(Mirror.of(spec)) : Networks.of(spec.declared());
        fresh.initialize(
            manager,
            DataType.FLOAT32,
            n == Network.GENERATOR
                ? Networks.latentShape(Mirror.of(spec), 2)
                : Networks.imageShape(spec.image(), 2));
        BlockWeights.load(fresh, part, exported);
        Map<String, Tensor> back = BlockWeights.read(fresh, part, 32);
        assertEquals(exported.keySet(), back.keySet(), n.toString());
        for (String k : exported.keySet()) {
          if (exported.get(k).dtype() == Tensor.DType.F32) {
            assertArrayEquals(exported.get(k).floats(), back.get(k).floats(), n + " " + k);
          }
        }
      }
    }
  }

  @Test
  void aBlockOfAnotherSpecIsRefused() {
    ModelSpec edges = ModelFiles.parse(OnnxExportTest.EDGES, "edges");
    ModelSpec dcgan = ModelFiles.builtIn("dcgan28");
    try (NDManager manager = NDManager.newBaseManager()) {
      SequentialBlock d = Networks.of(dcgan.declared());
      d.initialize(manager, DataType.FLOAT32, Networks.imageShape(dcgan.image(), 2));
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> BlockWeights.read(d, Network.DISCRIMINATOR.parts(edges).get(0), 0));
      assertEquals("block '' has 7 children, its spec 14 layers", e.getMessage());
    }
  }
}
