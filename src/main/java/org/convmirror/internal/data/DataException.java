package org.convmirror.internal.data;

import org.convmirror.error.UsageException;

/** A problem with input data, described in one line that names the file and says how to fix it. */
public final class DataException extends UsageException {
  private static final long serialVersionUID = 1L;

  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
