package org.convmirror.internal.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import org.convmirror.internal.bench.BenchReport;
import org.convmirror.internal.bench.EvalBench;
import org.convmirror.internal.bench.LayerBench;
import org.convmirror.internal.bench.SampleBench;

/**
 * The JSON form of {@code bench}'s report: one flat object whose keys {@code
 * bench/compare_speed.sh} reads ({@code images_per_second}, {@code sample.BATCH.…}, …).
 */
final class BenchJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BenchJson() {}

  static String of(BenchReport r) throws JsonProcessingException {
    BenchReport.Machine m = r.machine();
    ObjectNode o = JSON.createObjectNode();
    o.put("model", m.model());
    o.put("batch_size", m.batchSize());
    o.put("kind", m.kind().name().toLowerCase(Locale.ROOT));
    o.put("threads", m.threads());
    o.put("interop_threads", m.interopThreads());
    o.put("cores", m.cores());
    o.put("conv_transpose", m.kernels());
    o.put("precision", m.precision());
    o.put("load_average_before", m.loadBefore());
    if (r.layers() != null) {
      ArrayNode rows = o.putArray("layers");
      for (LayerBench.Row row : r.layers()) rows.add(layer(row));
    }
    if (r.training() != null) training(o, r);
    if (r.sampling() != null) {
      ObjectNode rows = o.putObject("sample");
      for (SampleBench.Row row : r.sampling().rows()) {
        ObjectNode b = rows.putObject(Integer.toString(row.batch()));
        b.put("ms_median", row.msMedian());
        b.put("ms_p90", row.msP90());
        b.put("images_per_second", row.imagesPerSecond());
        b.put("useful_gflops", row.usefulGflops(r.sampling().macsPerImage()));
        b.put("useful_over_matmul", r.sampling().usefulOverMatmul(row));
      }
      o.put("sample_matmul_gflops", r.sampling().matmulGflops());
    }
    if (r.evaluation() != null) evaluation(o, r.evaluation());
    o.put("load_average_after", m.loadAfter());
    return JSON.writeValueAsString(o);
  }

  private static void evaluation(ObjectNode o, BenchReport.Evaluation e) {
    EvalBench.Result r = e.result();
    ObjectNode v = o.putObject("evaluate");
    v.put("count", r.count());
    v.put("cold_seconds", r.cold().seconds());
    v.put("warm_disk_seconds", r.warmDisk().seconds());
    v.put("warm_memory_seconds", r.warmMemory().seconds());
    v.set("cold_phase_seconds", JSON.valueToTree(r.cold().phaseSeconds()));
    v.set("warm_disk_phase_seconds", JSON.valueToTree(r.warmDisk().phaseSeconds()));
    v.set("warm_memory_phase_seconds", JSON.valueToTree(r.warmMemory().phaseSeconds()));
    v.put("same_numbers", r.identical());
    v.put("feature_images_per_second", r.featureImagesPerSecond());
    v.put("feature_useful_gflops", e.usefulGflops());
    v.put("feature_useful_over_matmul", e.usefulOverMatmul());
    v.put("matmul_gflops", e.matmulGflops());
  }

  private static ObjectNode layer(LayerBench.Row row) {
    ObjectNode o = JSON.createObjectNode();
    o.put("layer", row.index());
    o.put("shape", row.shape());
    o.put("ours_forward_ms", row.oursForwardMs());
    o.put("ours_forward_backward_ms", row.oursForwardBackwardMs());
    o.put("subpixel_forward_ms", row.subPixelForwardMs());
    o.put("subpixel_forward_backward_ms", row.subPixelForwardBackwardMs());
    o.put("conv_backward_data_ms", row.convBackwardDataMs());
    o.put("conv_forward_backward_ms", row.convForwardBackwardMs());
    o.put("forward_ratio", row.forwardRatio());
    o.put("forward_backward_ratio", row.forwardBackwardRatio());
    o.put("ours_fwd_bwd_over_backward_data", row.fullOverBackwardDataRatio());
    return o;
  }

  private static void training(ObjectNode o, BenchReport r) {
    BenchReport.Training t = r.training();
    if (t.ab() != null) {
      o.put("ab_native_iteration_ms_median", t.ab().nativeMs());
      o.put("ab_subpixel_iteration_ms_median", t.ab().subpixelMs());
      o.put("ab_subpixel_over_native", t.ab().subpixelOverNative());
    }
    o.put("warmup", t.warmup());
    o.put("iterations", t.iterations());
    o.put("iteration_ms_median", t.iterationMsMedian());
    o.put("iteration_ms_mean", t.iterationMsMean());
    o.put("images_per_second", t.imagesPerSecond());
    o.set("phase_ms_mean", JSON.valueToTree(t.phaseMsMean()));
    if (t.data() != null) {
      o.put("data", t.data().identity());
      o.put("data_wait_over_iteration", t.data().waitOverIteration());
      o.put("data_prepare_ms_per_iteration", t.data().prepareMsPerIteration());
      o.put("data_prepare_over_iteration", t.data().prepareOverIteration());
    }
    o.put(r.machine().kind().derivedName() + "_macs_per_image", r.derived().macs());
    o.put(r.machine().kind().declaredName() + "_macs_per_image", r.declared().macs());
    o.put("useful_flops_per_iteration", t.usefulFlopsPerIteration());
    o.put("useful_gflops", t.usefulGflops());
    o.put("matmul_size", t.matmulSize());
    o.put("matmul_gflops", t.matmulGflops());
    o.put("matmul_gflops_before", t.matmulGflopsBefore());
    o.put("matmul_gflops_after", t.matmulGflopsAfter());
    o.put("useful_over_matmul", t.usefulOverMatmul());
    ObjectNode rss = o.putObject("rss_kib_after_iteration");
    for (Map.Entry<Integer, Long> e : t.rssKib().entrySet()) {
      rss.put(Integer.toString(e.getKey()), e.getValue());
    }
    o.put("peak_rss_kib", t.peakRssKib());
    o.set("last_metrics", JSON.valueToTree(t.lastMetrics()));
  }
}
