package org.convmirror.internal.run;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The exclusive lock of one run directory: an OS file lock on {@code run.lock}, which holds the
 * owner's PID for the message a second process prints. The kernel drops the lock when its process
 * dies, even by {@code SIGKILL}, so a stale {@code run.lock} file never blocks anyone and is never
 * deleted (deleting a lock file lets two processes lock two different files of one name).
 *
 * <p>Exclusive between processes. Within one JVM the lock is shared and counted: POSIX locks belong
 * to a process, and closing any channel of the file would silently drop the lock the JVM holds, so
 * a second acquisition must not open the file again.
 */
final class RunLock implements Closeable {
  /** The lock file's name inside a run directory. */
  static final String FILE = RunLayout.RUN_LOCK;

  private static final Map<Path, Held> HELD = new HashMap<>(); // guarded by RunLock.class

  private final Path key;
  private boolean closed;

  private static final class Held {
    final FileChannel channel;
    int users;

    Held(FileChannel channel) {
      this.channel = channel;
    }
  }

  private RunLock(Path key) {
    this.key = key;
  }

  /**
   * Locks {@code dir} for this process.
   *
   * @throws IOException naming the holder's PID if another process holds the lock
   */
  static synchronized RunLock acquire(Path dir) throws IOException {
    Path key = dir.toRealPath();
    Held held = HELD.get(key);
    if (held == null) {
      FileChannel channel = StreamFiles.lockFile(key.resolve(FILE));
      FileLock lock;
      try {
        try {
          lock = channel.tryLock();
        } catch (IOException e) {
          throw new IOException(
              "cannot lock run "
                  + dir
                  + " ("
                  + e.getMessage()
                  + "): its file system does not support file locks; put runs on a local disk"
                  + " (--runs DIR)",
              e);
        }
        if (lock == null) {
          throw new IOException(inUse(dir, holder(channel)));
        }
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      held = new Held(channel);
      HELD.put(key, held);
    }
    held.users++;
    return new RunLock(key);
  }

  /**
   * The PID of the live process holding {@code dir}'s lock (-1 if it has not written it yet), or
   * empty if none holds it. Within this JVM the answer comes from memory: opening and closing the
   * lock file here would drop the lock this process holds (POSIX locks go with any close of the
   * file).
   */
  static OptionalLong holderOf(Path dir) throws IOException {
    Path key = dir.toRealPath();
    synchronized (RunLock.class) {
      if (HELD.containsKey(key)) return OptionalLong.of(ProcessHandle.current().pid());
    }
    Path file = key.resolve(FILE);
    if (!Files.isRegularFile(file)) return OptionalLong.empty();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      try (FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true)) {
        if (probe != null) return OptionalLong.empty(); // nobody holds it
      }
      String pid = holder(channel);
      return pid == null ? OptionalLong.of(-1) : OptionalLong.of(Long.parseLong(pid));
    }
  }

  /** Releases this hold; the OS lock goes with the last one in this process. */
  @Override
  public void close() throws IOException {
    synchronized (RunLock.class) {
      if (closed) return;
      closed = true;
      Held held = HELD.get(key);
      if (--held.users == 0) {
        HELD.remove(key);
        held.channel.close(); // releases the lock
      }
    }
  }

  /**
   * The PID in the lock file, once it names a live process: a new holder writes its PID just after
   * it locks, and until then the file still names the last holder, which is gone.
   */
  private static String holder(FileChannel channel) throws IOException {
    for (int tries = 0; tries < 50; tries++) {
      ByteBuffer b = ByteBuffer.allocate(32);
      channel.read(b, 0);
      String text = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
      if (text.matches("\\d{1,18}")
          && ProcessHandle.of(Long.parseLong(text)).map(ProcessHandle::isAlive).orElse(false)) {
        return text;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return null;
  }

  private static String inUse(Path dir, String pid) {
    String who = pid == null ? "another process" : "process " + pid;
    return "run "
        + dir
        + " is in use by "
        + who
        + " (it holds "
        + dir.resolve(FILE)
        + "); two processes must not write one run: wait for it to finish"
        + (pid == null ? "" : " or stop it (kill " + pid + ")")
        + ", then try again";
  }
}
