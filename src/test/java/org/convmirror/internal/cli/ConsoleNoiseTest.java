package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.convmirror.internal.testing.ChildJvm;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, case 13: libtorch writes its warnings to the process's real stderr, past {@code
 * System.err}, so only a second process shows whether a training run starts quietly.
 */
@Tier.Process
class ConsoleNoiseTest {
  @TempDir Path tmp;

  @Test
  void aTrainingRunPrintsNoLibtorchWarning() throws Exception {
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    try (ChildJvm child =
        ChildJvm.startLogged(
            out,
            err,
            Main.class,
            "train",
            "--data",
            "synthetic:32",
            "--batch-size",
            "16",
            "--epochs",
            "1",
            "--threads",
            "1",
            "--quiet",
            "--runs",
            tmp.resolve("runs").toString())) {
      assertEquals(0, child.waitFor(120), ChildJvm.text(err));
    }
    assertTrue(ChildJvm.text(out).contains("done: 1 epochs, 2 iterations"), ChildJvm.text(out));
    assertEquals("", ChildJvm.text(err), "stderr of a healthy run");
  }

  /** Issue 21: every import printed libtorch's AutoNonVariableTypeMode warning. */
  @Test
  void anImportPrintsNoLibtorchWarning() throws Exception {
    java.nio.file.Path model =
        java.nio.file.Files.writeString(tmp.resolve("gan.yaml"), ExportImportCliTest.GAN);
    org.convmirror.spec.ModelSpec spec =
        org.convmirror.internal.config.ModelFiles.parse(ExportImportCliTest.GAN, "gan");
    Path weights = tmp.resolve("g.safetensors");
    org.convmirror.internal.export.SafeTensors.write(
        weights,
        ImportErrorsTest.complete(org.convmirror.internal.export.Network.GENERATOR, spec),
        java.util.Map.of());
    Path out = tmp.resolve("import-out.txt");
    Path err = tmp.resolve("import-err.txt");
    try (ChildJvm child =
        ChildJvm.startLogged(
            out,
            err,
            Main.class,
            "import",
            model.toString(),
            "--generator",
            weights.toString(),
            "--runs",
            tmp.resolve("runs").toString(),
            "--name",
            "imp")) {
      assertEquals(0, child.waitFor(120), ChildJvm.text(err));
    }
    assertTrue(ChildJvm.text(out).contains("imported generator from"), ChildJvm.text(out));
    assertEquals("", ChildJvm.text(err), "stderr of an import");
  }
}
