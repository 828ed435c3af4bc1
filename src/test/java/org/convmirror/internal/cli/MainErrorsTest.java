package org.convmirror.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.convmirror.error.UsageException;
import org.convmirror.internal.data.DataException;
import org.convmirror.internal.testing.Tier;
import org.convmirror.internal.train.TrainingFailed;
import org.convmirror.spec.SpecException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Only our own checks become one-line user errors; anything else is reported as a bug. */
@Tier.Engine
class MainErrorsTest {
  record Outcome(int code, String err) {}

  private static Outcome handle(Exception e) {
    CommandLine cli = new CommandLine(new Main());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    int code = Main.handle(e, cli, cli.parseArgs("plan"));
    return new Outcome(code, err.toString());
  }

  @Test
  void userErrorsAreOneLineAndExitTwo() {
    for (Exception e :
        new Exception[] {
          new UsageException("--lr must be a positive number, was 0.0"),
          new SpecException("conv[2].stride", "must be ≥ 1, was 0"),
          new DataException("data x has 3 images"),
          new IOException("run runs/x is in use")
        }) {
      Outcome o = handle(e);
      assertEquals(Main.USAGE, o.code(), e.toString());
      assertEquals(1, o.err().lines().count(), o.err());
      assertTrue(o.err().startsWith("convmirror: "), o.err());
    }
  }

  @Test
  void anIllegalArgumentExceptionFromElsewhereIsAnInternalError() {
    Outcome o = handle(new IllegalArgumentException("Shape mismatch (2, 3) vs (3, 2)"));
    assertEquals(1, o.code());
    assertTrue(o.err().contains("internal error"), o.err());
  }

  @Test
  void aFailedRunSaysWhyAndWhatWasKept() {
    Outcome o = handle(new TrainingFailed("training diverged at iteration 7; kept step-0000005"));
    assertEquals(1, o.code());
    assertFalse(o.err().contains("internal"), o.err());
  }
}
