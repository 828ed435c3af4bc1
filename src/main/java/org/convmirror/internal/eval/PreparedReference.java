package org.convmirror.internal.eval;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.zip.CRC32;

/**
 * Everything an evaluation computes that does not depend on the generated images: the reference set
 * prepared for scoring, the classes predicted for it, and the real-vs-real floor. This is what
 * {@link ReferenceCache} keeps, so that each later evaluation only scores the new images.
 *
 * @param predicted the most likely class of each reference image
 * @param reference the reference, prepared for a generated set of its {@code generatedCount}
 * @param floor the floor's scores, or null when there was no floor sample
 */
record PreparedReference(int[] predicted, Evaluator.Reference reference, EvalReport.Scores floor) {
  private static final String MAGIC = "convmirror evaluation reference";

  /** The bytes of the cache file: the fields after {@code key}, then a CRC-32 of all before it. */
  byte[] toBytes(String key) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeUTF(MAGIC);
    out.writeUTF(key);
    double[][] features = reference.features();
    out.writeInt(features.length);
    out.writeInt(features[0].length);
    for (double[] row : features) doubles(out, row);
    for (int p : predicted) out.writeInt(p);
    doubles(out, reference.manifold().radii2());
    GaussianStats stats = reference.stats();
    doubles(out, stats.mean());
    for (double[] row : stats.covariance()) doubles(out, row);
    out.writeInt(reference.generatedCount());
    out.writeInt(reference.kidSelfSums().length);
    doubles(out, reference.kidSelfSums());
    out.writeBoolean(floor != null);
    if (floor != null) doubles(out, floor.values());
    CRC32 crc = new CRC32();
    crc.update(bytes.toByteArray());
    out.writeLong(crc.getValue());
    return bytes.toByteArray();
  }

  /**
   * Reads what {@link #toBytes} wrote under {@code key}, with the KID subsets drawn again by {@code
   * evaluator}.
   *
   * @throws IOException naming what is wrong when the bytes are not such a file
   */
  static PreparedReference fromBytes(byte[] bytes, String key, Evaluator evaluator)
      throws IOException {
    if (bytes.length < Long.BYTES) throw new IOException("truncated");
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - Long.BYTES);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    in.skipNBytes(bytes.length - Long.BYTES);
    if (in.readLong() != crc.getValue()) throw new IOException("checksum mismatch");
    in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (!MAGIC.equals(in.readUTF())) throw new IOException("not an evaluation cache file");
    if (!key.equals(in.readUTF())) throw new IOException("written for other settings");
    int n = in.readInt();
    int d = in.readInt();
    if (n < 1 || d < 1 || (long) n * d * Double.BYTES > bytes.length) {
      throw new IOException("impossible size " + n + "×" + d);
    }
    double[][] features = new double[n][];
    for (int i = 0; i < n; i++) features[i] = doubles(in, d);
    int[] predicted = new int[n];
    for (int i = 0; i < n; i++) predicted[i] = in.readInt();
    double[] radii2 = doubles(in, n);
    double[] mean = doubles(in, d);
    double[][] cov = new double[d][];
    for (int k = 0; k < d; k++) cov[k] = doubles(in, d);
    int generatedCount = in.readInt();
    int subsets = in.readInt();
    if (subsets < 1 || subsets > bytes.length) throw new IOException("impossible KID subsets");
    double[] kidSelfSums = doubles(in, subsets);
    EvalReport.Scores floor = null;
    if (in.readBoolean()) {
      double[] f = doubles(in, 7);
      floor = new EvalReport.Scores(f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
    }
    if (in.available() != Long.BYTES) throw new IOException("unexpected trailing bytes");
    var manifold = new PrecisionRecall.Manifold(features, Gram.squaredNorms(features), radii2);
    var draw = evaluator.kidDraw(generatedCount, n);
    if (draw.x().length != subsets) throw new IOException("KID subsets differ from the key's");
    var reference =
        new Evaluator.Reference(
            manifold, new GaussianStats(mean, cov, n), generatedCount, draw, kidSelfSums);
    return new PreparedReference(predicted, reference, floor);
  }

  private static void doubles(DataOutputStream out, double[] values) throws IOException {
    for (double v : values) out.writeDouble(v);
  }

  private static double[] doubles(DataInputStream in, int n) throws IOException {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) values[i] = in.readDouble();
    return values;
  }
}
