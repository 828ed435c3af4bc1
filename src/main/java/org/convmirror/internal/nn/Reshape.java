package org.convmirror.internal.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;

/**
 * The two reshapes a mirrored network needs between its dense and convolutional halves, as DJL
 * blocks: DJL's own batch flatten, and a {@link LambdaBlock} back to an image batch.
 */
public final class Reshape {

  private Reshape() {}

  /** (N, C, H, W) -> (N, C*H*W); DJL's {@code Blocks.batchFlattenBlock()}. */
  public static Block flatten() {
    return Blocks.batchFlattenBlock();
  }

  /** (N, C*H*W) -> (N, C, H, W), e.g. after a generator's first dense layer. */
  public static Block toImage(long channels, long height, long width) {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "image shape must be positive, was " + channels + " x " + height + " x " + width);
    }
    Shape target = new Shape(-1, channels, height, width);
    return LambdaBlock.singleton(x -> x.reshape(target), "toImage");
  }
}
