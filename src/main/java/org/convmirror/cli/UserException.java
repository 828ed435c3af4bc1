package org.convmirror.cli;

/** A problem with the user's input that the CLI reports as one line and exit code 2. */
public final class UserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserException(String message) {
    super(message);
  }
}
