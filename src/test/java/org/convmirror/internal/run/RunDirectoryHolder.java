package org.convmirror.internal.run;

import java.nio.file.Path;

/**
 * A second process for {@link RunLockTest}: {@code hold DIR} opens a run for writing, prints
 * "locked" and waits until killed; {@code try DIR} tries once and prints "locked" or the error;
 * {@code create DIR} does the same for a new run named after DIR's last part.
 */
public final class RunDirectoryHolder {
  private RunDirectoryHolder() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    try (RunDirectory run =
        args[0].equals("create")
            ? RunDirectory.create(dir.getParent(), dir.getFileName().toString())
            : RunDirectory.openForResume(dir)) {
      System.out.println("locked");
      System.out.flush();
      if (args[0].equals("hold")) Thread.sleep(Long.MAX_VALUE);
    } catch (java.io.IOException e) {
      System.out.println("refused: " + e.getMessage());
    }
  }
}
