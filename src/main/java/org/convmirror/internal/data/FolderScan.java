package org.convmirror.internal.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * One walk over an image folder's tree, reading only directory entries and file attributes: the
 * image files (by name ending) in sorted path order with their sizes and modification times, the
 * other files, the folders that could not be listed, and the class sub-folders.
 */
final class FolderScan {
  /** File name endings searched for, lower-cased. */
  static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

  /** An image file: its path relative to the root with '/' separators, and its attributes. */
  record Entry(String name, Path path, long size, long modifiedNanos) {}

  /** A file or folder left out, with why. */
  record Skip(String name, String reason) {}

  final Path root;
  final List<Entry> images;
  final List<String> others;
  final List<Skip> unlisted;
  final List<String> classes;

  private FolderScan(Path root, List<Entry> images, List<String> others, List<Skip> unlisted) {
    this.root = root;
    this.images = images;
    this.others = others;
    this.unlisted = unlisted;
    this.classes = classNames(images);
  }

  /** Walks {@code root}; fails in one line if it is not a folder or cannot be listed at all. */
  static FolderScan of(Path root) {
    if (!Files.isDirectory(root)) {
      throw new DataException(
          root + ": no such folder; pass --data with a folder of PNG/JPEG images or IDX files");
    }
    List<Entry> images = new ArrayList<>();
    List<String> others = new ArrayList<>();
    List<Skip> unlisted = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              BasicFileAttributes a = attrs;
              if (a.isSymbolicLink()) {
                // A link to an image counts as the image, as it did for Files.walk + isRegularFile.
                try {
                  a = Files.readAttributes(file, BasicFileAttributes.class);
                } catch (IOException broken) {
                  others.add(name(root, file));
                  return FileVisitResult.CONTINUE;
                }
              }
              if (a.isRegularFile() && isImageName(file)) {
                long mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
                images.add(new Entry(name(root, file), file, a.size(), mtime));
              } else if (!a.isDirectory()) {
                others.add(name(root, file));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (file.equals(root)) throw e;
              unlisted.add(new Skip(name(root, file), "cannot list folder (" + why(e) + ")"));
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new DataException(root + ": cannot list folder (" + why(e) + ")", e);
    }
    // Sorting paths keeps the order (and so the data's hash) the same on every file system.
    images.sort(Comparator.comparing(Entry::path));
    others.sort(null);
    return new FolderScan(root, List.copyOf(images), List.copyOf(others), List.copyOf(unlisted));
  }

  /** Fails in one line when no image file was found. */
  FolderScan requireImages() {
    if (images.isEmpty()) {
      throw new DataException(
          root
              + ": no images found (searched recursively for "
              + String.join(", ", EXTENSIONS)
              + "); put images there or point --data at another folder");
    }
    return this;
  }

  /** The label of image {@code e}: its sub-folder's index among {@link #classes}, or -1. */
  int label(Entry e) {
    if (classes.isEmpty()) return -1;
    String first = e.name().substring(0, e.name().indexOf('/'));
    return java.util.Collections.binarySearch(classes, first);
  }

  /**
   * The cache key: a SHA-256 over every image file's name, size and modification time and the
   * target shape, so any added, removed, renamed, resized or re-saved file gives another key.
   */
  String contentKey(int decoderVersion, int channels, int height, int width) {
    MessageDigest d = Hashes.sha256();
    String head =
        "convmirror-images/" + decoderVersion + " " + channels + "x" + height + "x" + width;
    d.update(head.getBytes(StandardCharsets.UTF_8));
    for (Entry e : images) {
      d.update(
          ("\n" + e.name() + "\t" + e.size() + "\t" + e.modifiedNanos())
              .getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(d.digest());
  }

  // Labels only when every image sits in a sub-folder: a mix of loose and filed images has no
  // consistent class for the loose ones.
  private static List<String> classNames(List<Entry> images) {
    TreeSet<String> names = new TreeSet<>();
    for (Entry e : images) {
      int slash = e.name().indexOf('/');
      if (slash < 0) return List.of();
      names.add(e.name().substring(0, slash));
    }
    return List.copyOf(names);
  }

  static boolean isImageName(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(name::endsWith);
  }

  private static String name(Path root, Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  private static String why(IOException e) {
    return e instanceof AccessDeniedException
        ? "permission denied"
        : String.valueOf(e.getMessage());
  }
}
