package org.convmirror.internal.train;

import java.io.IOException;

/**
 * A score computed after some epochs (e.g. a Fréchet distance), lower is better; the training loop
 * keeps the checkpoint with the best score as {@code checkpoints/best}.
 */
public interface EpochEvaluation {
  /** Whether to evaluate after {@code epoch} (1-based) epochs. */
  boolean due(int epoch);

  /** Scores the model; may write its own report into the run directory. */
  double score(int epoch, ImageSource model) throws IOException;

  /** What the score is called in messages, e.g. {@code FD}. */
  String name();
}
