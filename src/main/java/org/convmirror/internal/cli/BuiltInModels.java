package org.convmirror.internal.cli;

import java.util.Iterator;
import org.convmirror.internal.config.ModelFiles;

/** The built-in model names, for picocli's help and completion. */
final class BuiltInModels implements Iterable<String> {
  @Override
  public Iterator<String> iterator() {
    return ModelFiles.BUILT_IN.iterator();
  }
}
