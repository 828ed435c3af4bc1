package org.convmirror.error;

/**
 * Something the user gave — a value, a flag, a file, a model that cannot be built — is wrong, and
 * the message says what and how to fix it in one line. The command line prints it and exits 2;
 * anything else that escapes is a bug in convmirror and is reported as an internal error.
 */
public class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
