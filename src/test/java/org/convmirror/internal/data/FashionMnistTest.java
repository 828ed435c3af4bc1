package org.convmirror.internal.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tier.Pure
class FashionMnistTest {
  @TempDir Path dir;

  @Test
  void explicitDataDirIsNeverSilentlyReplaced() {
    Path empty = dir.resolve("empty");
    Path system = Idx.folder(dir.resolve("system"), 2, 2, 28, 28);
    DataException e =
        assertThrows(DataException.class, () -> FashionMnist.locate(empty, Split.TRAIN, system));
    assertTrue(e.getMessage().startsWith(empty + ": no such folder;"), e.getMessage());
  }

  @Test
  void theSystemFolderServesWhenNoFolderIsGiven() {
    Path system = Idx.folder(dir.resolve("system"), 2, 2, 28, 28);
    assertEquals(system, FashionMnist.locate(null, Split.TEST, system));
  }

  /** Offline by design: a missing dataset is one line saying how to get it, never a download. */
  @Test
  void missingDataIsOneLineSayingHowToInstallIt() {
    Path system = dir.resolve("sys");
    DataException e =
        assertThrows(DataException.class, () -> FashionMnist.locate(null, Split.TRAIN, system));
    assertEquals(
        "Fashion-MNIST train is not in "
            + system
            + "; install Fashion-MNIST with `apt-get install dataset-fashion-mnist`, or pass"
            + " --data DIR naming a folder with the IDX files",
        e.getMessage());
  }
}
