package org.convmirror.internal.run;

import java.io.IOException;

/** A consumer that may throw {@link IOException}, for writer callbacks. */
@FunctionalInterface
public interface IoConsumer<T> {
  void accept(T value) throws IOException;
}
