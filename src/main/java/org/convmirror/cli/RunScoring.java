package org.convmirror.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.convmirror.TrainedModel;
import org.convmirror.data.DataSources;
import org.convmirror.data.ImageSet;
import org.convmirror.data.Split;
import org.convmirror.eval.EvalReport;
import org.convmirror.eval.PixelRange;
import org.convmirror.eval.RunEvaluation;
import org.convmirror.spec.ImageShape;
import org.convmirror.train.TrainConfig;

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
   * Scores {@code count} images drawn with {@code seed} from the run or checkpoint at {@code at}.
   */
  static EvalReport score(Path at, int count, long seed, Path classifier, PrintStream out)
      throws IOException {
    try (TrainedModel model = TrainedModel.open(at)) {
      TrainConfig c = model.config().train();
      ImageShape image = model.spec().image();
      Path root = model.runDirectory();
      try (RunEvaluation eval =
          evaluation(c.dataset(), c.data(), c.seed(), image, count, classifier)) {
        float[] images = model.sample(count, seed).pixels();
        PixelRange.check(
            images,
            images.length,
            "the images generated from " + model.checkpoint(),
            "the model has diverged: evaluate an earlier checkpoint (a step-NNNNNNN folder in "
                + root.resolve("checkpoints")
                + ")");
        for (int i = 0; i < images.length; i++) images[i] = 2 * images[i] - 1; // → [-1, 1]
        EvalReport report = eval.evaluate(images, count);
        out.print(report.format());
        int epoch = model.epoch();
        Path json = root.resolve(String.format(Locale.ROOT, "evaluation-epoch-%04d.json", epoch));
        report.writeJson(json);
        RunEvaluation.appendCsv(root.resolve("evaluation.csv"), epoch, report);
        out.println("wrote " + json + " and a row of " + root.resolve("evaluation.csv"));
        return report;
      }
    }
  }
}
