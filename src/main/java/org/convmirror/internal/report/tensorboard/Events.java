package org.convmirror.internal.report.tensorboard;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The {@code tensorboard.Event} messages of an event file, encoded field by field. Protobuf's
 * runtime is already on the class path (ONNX export needs it), but not TensorFlow's generated
 * classes, which would bring a large dependency for five messages; so the fields are written with
 * {@link CodedOutputStream} by their numbers in TensorBoard's {@code event.proto} and {@code
 * summary.proto}:
 *
 * <pre>
 * Event      1 wall_time double, 2 step int64, 3 file_version string, 5 summary Summary,
 *            7 session_log SessionLog
 * Summary    1 value repeated Value
 * Value      1 tag string, 2 simple_value float, 4 image Image
 * Image      1 height int32, 2 width int32, 3 colorspace int32, 4 encoded_image_string bytes
 * SessionLog 1 status enum (START = 1)
 * </pre>
 */
public final class Events {
  /** What every event file starts with; TensorBoard reads "brain.Event:2" files. */
  static final String FILE_VERSION = "brain.Event:2";

  private static final int SESSION_START = 1;

  private Events() {}

  /** The first event of a file. */
  public static byte[] fileVersion(double wallTime) {
    return message(
        o -> {
          o.writeDouble(1, wallTime);
          o.writeString(3, FILE_VERSION);
        });
  }

  /** Scalars at one step, in one summary: tag → value (TensorBoard keeps them as float32). */
  public static byte[] scalars(double wallTime, long step, Map<String, Double> values) {
    byte[] summary =
        message(
            o -> {
              for (Map.Entry<String, Double> v : values.entrySet()) {
                o.writeByteArray(
                    1,
                    message(
                        value -> {
                          value.writeString(1, v.getKey());
                          value.writeFloat(2, v.getValue().floatValue());
                        }));
              }
            });
    return event(wallTime, step, 5, summary);
  }

  /**
   * An encoded image at one step.
   *
   * @param colorspace 1 grayscale, 2 grayscale + alpha, 3 RGB, 4 RGBA
   */
  public static byte[] image(
      double wallTime, long step, String tag, int height, int width, int colorspace, byte[] png) {
    byte[] image =
        message(
            o -> {
              o.writeInt32(1, height);
              o.writeInt32(2, width);
              o.writeInt32(3, colorspace);
              o.writeByteArray(4, png);
            });
    byte[] value =
        message(
            o -> {
              o.writeString(1, tag);
              o.writeByteArray(4, image);
            });
    return event(wallTime, step, 5, message(o -> o.writeByteArray(1, value)));
  }

  /**
   * A session start at {@code step}: TensorBoard then drops what an earlier process logged after
   * that step, as a resumed run trains those steps again.
   */
  public static byte[] sessionStart(double wallTime, long step) {
    return event(wallTime, step, 7, message(o -> o.writeEnum(1, SESSION_START)));
  }

  private static byte[] event(double wallTime, long step, int field, byte[] what) {
    return message(
        o -> {
          o.writeDouble(1, wallTime);
          o.writeInt64(2, step);
          o.writeByteArray(field, what);
        });
  }

  private interface Fields {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Fields fields) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      fields.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }
}
