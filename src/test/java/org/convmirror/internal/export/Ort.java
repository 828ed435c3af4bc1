package org.convmirror.internal.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs an ONNX model in onnxruntime (CPU, one thread) on one float input. */
public final class Ort {
  private Ort() {}

  /** Every output of {@code model} for {@code input} of {@code shape}, flat, in graph order. */
  public static float[][] run(byte[] model, String inputName, float[] input, long[] shape)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(model, options);
          OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
          OrtSession.Result result = session.run(Map.of(inputName, x))) {
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
