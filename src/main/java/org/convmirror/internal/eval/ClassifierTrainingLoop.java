package org.convmirror.internal.eval;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Minimises softmax cross-entropy {@code −log p(y | x)} over shuffled mini-batches with Adam, its
 * learning rate cosine-decayed from 1e-3 to 1e-5 over the whole run (worth ~1% test accuracy); the
 * hand-written loop keeps the shuffle under our seed and every batch's arrays in a closed manager.
 */
final class ClassifierTrainingLoop {
  static final int BATCH = 128;
  static final float LEARNING_RATE = 1e-3f;

  private final Model model;
  private final int[] inputShape;
  private final long seed;

  ClassifierTrainingLoop(Model model, int[] inputShape, long seed) {
    this.model = model;
    this.inputShape = inputShape;
    this.seed = seed;
  }

  /** Where the training images come from: image {@code i} copied to {@code dest} at an offset. */
  interface Images {
    void copy(int i, float[] dest, int offset);
  }

  void run(Images images, int[] labels, int epochs, Consumer<FeatureClassifier.Progress> progress) {
    int n = labels.length;
    int size = inputShape[0] * inputShape[1] * inputShape[2];
    Engine.getInstance().setRandomSeed((int) seed);
    int steps = (n + BATCH - 1) / BATCH;
    DefaultTrainingConfig config =
        new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
            .optOptimizer(
                Adam.builder()
                    .optLearningRateTracker(
                        Tracker.cosine()
                            .setBaseValue(LEARNING_RATE)
                            .optFinalValue(LEARNING_RATE / 100)
                            .setMaxUpdates(epochs * steps)
                            .build())
                    .build());
    Random shuffle = new Random(seed);
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    try (Trainer trainer = model.newTrainer(config)) {
      if (!model.getBlock().isInitialized()) {
        trainer.initialize(new Shape(BATCH, inputShape[0], inputShape[1], inputShape[2]));
      }
      for (int epoch = 1; epoch <= epochs; epoch++) {
        shuffle(order, shuffle);
        for (int step = 0; step < steps; step++) {
          int start = step * BATCH;
          int count = Math.min(BATCH, n - start);
          float[] x = new float[count * size];
          int[] y = new int[count];
          for (int i = 0; i < count; i++) {
            int src = order[start + i];
            images.copy(src, x, i * size);
            y[i] = labels[src];
          }
          double loss;
          try (NDManager batch = trainer.getManager().newSubManager();
              GradientCollector collector = trainer.newGradientCollector()) {
            NDArray input =
                batch.create(x, new Shape(count, inputShape[0], inputShape[1], inputShape[2]));
            NDList logits = trainer.forward(new NDList(input));
            NDArray l = trainer.getLoss().evaluate(new NDList(batch.create(y)), logits);
            collector.backward(l);
            loss = l.getFloat();
          }
          trainer.step();
          progress.accept(new FeatureClassifier.Progress(epoch, epochs, step + 1, steps, loss));
        }
      }
    }
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
