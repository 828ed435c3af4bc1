package org.convmirror.internal.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;

/** Runs an ONNX model in onnxruntime (CPU, one thread) on one float input. */
public final class Ort {
  private Ort() {}

  /** Every output of {@code model} for {@code input} of {@code shape}, flat, in graph order. */
  public static float[][] run(byte[] model, String inputName, float[] input, long[] shape)
      throws OrtException {
    return run(model, inputName, input, shape, null);
  }

  /**
   * As above for a conditional model: {@code labels} (one per image) go to its second input, {@code
   * label}, as int64; null for an unconditional one.
   */
  public static float[][] run(
      byte[] model, String inputName, float[] input, long[] shape, long[] labels)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(model, options);
          OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
          OnnxTensor y =
              labels == null
                  ? null
                  : OnnxTensor.createTensor(
                      env, LongBuffer.wrap(labels), new long[] {labels.length});
          OrtSession.Result result =
              session.run(y == null ? Map.of(inputName, x) : Map.of(inputName, x, "label", y))) {
        float[][] out = new float[result.size()][];
        for (int i = 0; i < result.size(); i++) {
          FloatBuffer b = ((OnnxTensor) result.get(i)).getFloatBuffer();
          out[i] = new float[b.remaining()];
          b.get(out[i]);
        }
        return out;
      }
    }
  }
}
