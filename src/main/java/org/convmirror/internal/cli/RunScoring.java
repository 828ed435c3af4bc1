package org.convmirror.internal.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.convmirror.internal.data.DataSources;
import org.convmirror.internal.data.ImageSet;
import org.convmirror.internal.data.Split;
import org.convmirror.internal.eval.ClassReport;
import org.convmirror.internal.eval.EvalReport;
import org.convmirror.internal.eval.PixelRange;
import org.convmirror.internal.eval.RunEvaluation;
import org.convmirror.internal.model.LoadedModel;
import org.convmirror.internal.model.SavedModel;
import org.convmirror.internal.run.AtomicFiles;
import org.convmirror.internal.run.RunLayout;
import org.convmirror.internal.run.StreamFiles;
import org.convmirror.internal.train.ClassLabels;
import org.convmirror.options.TrainConfig;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.ImageShape;

/**
 * Scores a trained run's samples in the classifier's features against its data's test split, and
 * records the report in the run ({@code evaluation-epoch-NNNN.json} and a row of {@code
 * evaluation.csv}); shared by {@code evaluate} and {@code train --seeds}.
 */
final class RunScoring {
  private RunScoring() {}

  /** Scoring against the test split of the given data, the floor from its training split. */
  static RunEvaluation evaluation(
      String dataset, String data, long dataSeed, ImageShape image, int count, Path classifier)
      throws IOException {
    int c = image.channels();
    int h = image.height();
    int w = image.width();
    ImageSet train = DataSources.load(dataset, data, Split.TRAIN, c, h, w, dataSeed);
    ImageSet test = DataSources.load(dataset, data, Split.TEST, c, h, w, dataSeed);
    return RunEvaluation.open(test, train, classifier, count, 0, null, System.out);
  }

  /**
   * Scores {@code count} images drawn with {@code seed} from the run or checkpoint at {@code at},
   * recorded in the run's evaluation files.
   */
  static EvalReport score(Path at, int count, long seed, Path classifier, PrintStream out)
      throws IOException {
    return score(at, count, seed, classifier, false, null, out);
  }

  /**
   * As {@link #score(Path, int, long, Path, PrintStream)}, from a GAN's trained generator if {@code
   * raw}; with a {@code json} file the report goes there and the run's records stay as they are (a
   * comparison's scores are not the run's history). A raw score without one is only printed.
   */
  static EvalReport score(
      Path at, int count, long seed, Path classifier, boolean raw, Path json, PrintStream out)
      throws IOException {
    try (LoadedModel model = SavedModel.open(at).forSampling(raw, System.err)) {
      TrainConfig c = model.config().train();
      ImageShape image = model.spec().image();
      RunLayout layout = new RunLayout(model.runDirectory());
      try (RunEvaluation eval =
          evaluation(c.dataset(), c.data(), c.seed(), image, count, classifier)) {
        float[] images = model.sample(count, seed, LoadedModel.ANY);
        PixelRange.check(
            images,
            images.length,
            "the images generated from " + model.checkpoint(),
            "the model has diverged: evaluate an earlier checkpoint (a step-NNNNNNN folder in "
                + layout.checkpointsDir()
                + ")");
        for (int i = 0; i < images.length; i++) images[i] = 2 * images[i] - 1; // → [-1, 1]
        int epoch = model.epoch();
        boolean record = json == null && !raw; // the run's history: its delivered model only
        Path target = json != null ? json : record ? layout.evaluation(epoch) : null;
        Conditioning classes = model.conditioning();
        EvalReport report;
        ObjectNode tree;
        ClassReport byClass = null;
        if (classes == null) {
          report = eval.evaluate(images, count);
          out.print(report.format());
          tree = report.toJsonTree();
        } else {
          // sample() drew image i as class i mod classes: every class equally often.
          int[] labels = ClassLabels.cycling(0, count, classes.classes());
          RunEvaluation.Conditional scored = eval.evaluate(images, labels, count, names(classes));
          report = scored.overall();
          byClass = scored.byClass();
          out.print(report.format());
          out.print(byClass.format());
          tree = report.toJsonTree();
          tree.set("conditional", byClass.toJsonTree());
        }
        if (target != null) {
          AtomicFiles.writeString(
              target, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree));
        }
        if (record) {
          if (byClass != null) appendClassCsv(layout.evaluationClassesCsv(), epoch, byClass);
          RunEvaluation.appendCsv(layout.evaluationCsv(), epoch, report);
          out.println("wrote " + target + " and a row of " + layout.evaluationCsv());
        } else if (target != null) {
          out.println("wrote " + target);
        } else {
          out.println("the trained generator's score is not recorded in the run (--json FILE)");
        }
        return report;
      }
    }
  }

  /** The classes' names, or their numbers when the data named none. */
  private static List<String> names(Conditioning c) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < c.classes(); i++) names.add(c.name(i));
    return names;
  }

  private static void appendClassCsv(Path csv, int epoch, ClassReport r) throws IOException {
    boolean fresh = !Files.exists(csv);
    String text =
        (fresh ? "epoch," + ClassReport.csvHeader() + "\n" : "") + epoch + "," + r.csvRow() + "\n";
    StreamFiles.appendString(csv, text);
  }
}
