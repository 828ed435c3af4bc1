package org.convmirror.internal.run;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.convmirror.error.UsageException;

/**
 * Holds an output folder (a sample's, an export's) for one writer, as {@link RunLock} holds a run:
 * a second {@code sample} or {@code export} into the same folder is refused with the holder's PID
 * instead of silently replacing the first one's files. The kernel drops the lock however the
 * process ends.
 */
public final class OutputLock implements Closeable {
  private final FileChannel channel;
  private final FileLock lock;

  private OutputLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code dir} (made if absent) for this writer.
   *
   * @param flag the flag that chose the folder, for the message ({@code --out})
   * @throws UsageException naming the holder when another writer has it
   */
  public static OutputLock acquire(Path dir, String flag) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(RunLayout.OUTPUT_LOCK);
    FileChannel channel = StreamFiles.lockFile(file);
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException sameJvm) {
        lock = null;
      }
      if (lock == null) {
        String pid = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
        throw new UsageException(
            flag
                + " "
                + dir
                + " is being written by another convmirror ("
                + (pid.matches("\\d+") ? "process " + pid : "another process")
                + "): wait for it to finish, or choose another "
                + flag);
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
      return new OutputLock(channel, lock);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
