package org.convmirror.internal.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A run written all at once ({@code import}): created as {@code runs/.tmp-run-NAME-*}/NAME and
 * renamed to {@code runs/NAME} whole by {@link #publish}. A kill or a failure before leaves only
 * the hidden folder, which neither blocks the name nor looks like a run; the next staged run of the
 * same name removes it once its lock is free.
 */
public final class StagedRun implements AutoCloseable {
  /** The hidden folder's name before its random tail: {@code .tmp-run-NAME-}. */
  private static String prefix(String name) {
    return AtomicFiles.TEMP_PREFIX + "run-" + name + "-";
  }

  private final Path target;
  private final Path holder;
  private final RunDirectory run;

  private StagedRun(Path target, Path holder, RunDirectory run) {
    this.target = target;
    this.holder = holder;
    this.run = run;
  }

  /**
   * Starts run {@code name} (null: named after the current time) in {@code runs}; refuses, creating
   * nothing, what {@link RunDirectory#create} would refuse.
   */
  public static StagedRun create(Path runs, String name) throws IOException {
    RunNames.checkAvailable(runs, name);
    if (name == null) name = RunNames.freeStampName(runs);
    Path target = runs.resolve(name);
    Files.createDirectories(runs);
    removeAbandoned(runs, name);
    Path holder = Files.createDirectory(AtomicFiles.tempSibling(runs.resolve("run-" + name)));
    try {
      return new StagedRun(target, holder, RunDirectory.create(holder, name));
    } catch (IOException | RuntimeException e) {
      CheckpointFiles.deleteQuietly(holder);
      throw e;
    }
  }

  /** The run to write, under its hidden name until {@link #publish}. */
  public RunDirectory run() {
    return run;
  }

  /** Renames the finished run into place and returns where it is now. */
  public Path publish() throws IOException {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      // A killed start's empty run folder may be taken over, as RunDirectory.create would;
      // rename(2) replaces only an empty folder, so clear it first, under its lock.
      try (RunLock lock = RunLock.acquire(target)) {
        if (!RunNames.isEmpty(target)) throw RunNames.taken(target);
        CheckpointFiles.deleteTree(target);
      }
    }
    try {
      AtomicFiles.renameFolder(run.root(), target);
    } catch (IOException e) {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) throw RunNames.taken(target);
      throw e;
    }
    AtomicFiles.fsyncDirectory(target.getParent());
    return target;
  }

  /** Releases the run's lock; an unpublished run is removed. */
  @Override
  public void close() throws IOException {
    try {
      run.close();
    } finally {
      // Empty once published; with the unfinished run in it otherwise.
      CheckpointFiles.deleteQuietly(holder);
    }
  }

  /** Removes hidden folders of killed writers of run {@code name}: those whose lock is free. */
  private static void removeAbandoned(Path runs, String name) throws IOException {
    // A filter, not a glob: a run name may hold '[' or '{'.
    try (DirectoryStream<Path> s =
        Files.newDirectoryStream(runs, p -> p.getFileName().toString().startsWith(prefix(name)))) {
      for (Path p : s) {
        Path inner = p.resolve(name);
        if (!Files.isDirectory(inner, LinkOption.NOFOLLOW_LINKS)) continue; // just being made
        try (RunLock free = RunLock.acquire(inner)) {
          CheckpointFiles.deleteTree(p);
        } catch (IOException inUse) {
          // another import of the same name is writing it now
        }
      }
    }
  }
}
