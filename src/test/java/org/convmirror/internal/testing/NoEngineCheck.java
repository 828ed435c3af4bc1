package org.convmirror.internal.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a pure test that loads libtorch into the test JVM: it belongs to the engine tier. The pure
 * tier runs in a JVM of its own (pom.xml), so there the first test to load the engine is named.
 * Reads the process's memory map, where the native library appears once loaded.
 */
public final class NoEngineCheck implements BeforeEachCallback, AfterEachCallback {
  private static final Path MAPS = Path.of("/proc/self/maps");
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(NoEngineCheck.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put("before", engineLoaded());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    boolean before = context.getStore(NS).remove("before", Boolean.class);
    if (!before && !context.getTags().contains(Tier.ENGINE) && engineLoaded()) {
      throw new AssertionError(
          context.getRequiredTestClass().getSimpleName()
              + "."
              + context.getRequiredTestMethod().getName()
              + " loaded libtorch; tag it @Tier.Engine (the pure tier runs without the engine)");
    }
  }

  /** Whether libtorch (which DJL's PyTorch engine loads) is mapped into this process. */
  static boolean engineLoaded() {
    if (!Files.isReadable(MAPS)) return false; // no /proc: not Linux, whose natives this build pins
    try {
      return Files.readString(MAPS).contains("libtorch");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
