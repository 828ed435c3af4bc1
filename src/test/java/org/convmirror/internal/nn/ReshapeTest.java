package org.convmirror.internal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

@Tier.Engine
class ReshapeTest {

  @Test
  void flattenAndToImageAreInversesWithMatchingShapes() {
    Shape image = new Shape(2, 3, 4, 5);
    Block flatten = Reshape.flatten();
    Block toImage = Reshape.toImage(3, 4, 5);
    try (NDManager m = NDManager.newBaseManager()) {
      flatten.initialize(m, DataType.FLOAT32, image);
      toImage.initialize(m, DataType.FLOAT32, new Shape(2, 60));
      assertEquals(new Shape(2, 60), flatten.getOutputShapes(new Shape[] {image})[0]);
      assertEquals(image, toImage.getOutputShapes(new Shape[] {new Shape(2, 60)})[0]);
      ParameterStore store = new ParameterStore(m, false);
      NDArray x = m.arange(120f).reshape(image);
      NDArray flat = flatten.forward(store, new NDList(x), false).singletonOrThrow();
      NDArray back = toImage.forward(store, new NDList(flat), false).singletonOrThrow();
      assertEquals(image, back.getShape());
      assertArrayEquals(x.toFloatArray(), back.toFloatArray(), 0f);
    }
  }
}
