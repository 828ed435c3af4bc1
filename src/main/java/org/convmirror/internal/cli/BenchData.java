package org.convmirror.internal.cli;

import java.util.Map;
import org.convmirror.internal.bench.TrainBench;
import org.convmirror.internal.data.DataSources;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.run.DecodeProgress;
import org.convmirror.internal.run.Progress;
import org.convmirror.spec.ImageShape;
import picocli.CommandLine.Option;

/** {@code bench --data}: real batches through the training loader instead of in-memory ones. */
final class BenchData {
  @Option(
      names = "--data",
      paramLabel = "PATH",
      description =
          "Train on real batches from PATH (image folder via its cache, IDX, synthetic:N) through"
              + " the training loader, and report the data phase. Default: in-memory batches.")
  String data;

  /**
   * The data at {@code shape}, an image folder decoded into its cache if need be, with notices on
   * stderr when stdout is for JSON; or null.
   */
  ImageSet open(ImageShape shape, long seed, boolean json) {
    if (data == null) return null;
    var access =
        json
            ? DecodeProgress.access(System.err, false)
            : DecodeProgress.access(System.out, Progress.detectInteractive());
    return DataSources.load(
        null, data, Split.TRAIN, shape.channels(), shape.height(), shape.width(), seed, access);
  }

  /** The data phase of {@code res}, whose iterations took {@code meanMs}, as fractions of it. */
  static void report(TrainBench.Result res, double meanMs, Map<String, Object> r) {
    r.put("data_wait_over_iteration", res.phaseMs().get("data") / meanMs);
    r.put("data_prepare_ms_per_iteration", res.dataPrepareMs());
    r.put("data_prepare_over_iteration", res.dataPrepareMs() / meanMs);
  }
}
