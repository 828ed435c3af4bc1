package org.convmirror.internal.train;

/** Training stopped because it cannot go on; the message says why and what was kept. */
public final class TrainingFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingFailed(String message) {
    super(message);
  }
}
