package org.convmirror.internal.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * One HTTP/1.x request head as {@link WebServer} reads it: the request line and the {@code Host}
 * header, read under a size limit and a deadline, and the path decoded strictly. Anything else is a
 * {@link Refused} carrying the status to answer with.
 *
 * @param method {@code GET} or {@code HEAD}
 * @param path the decoded path, starting with {@code /}, free of NUL, backslash, control characters
 *     and {@code .}/{@code ..} segments
 */
record WebRequest(String method, String path) {
  /** The longest request head accepted, line and headers together. */
  static final int MAX_HEAD = 16 * 1024;

  /** A request answered with {@code status} and nothing served. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Refused(int status, String why) {
      super(why, null, false, false);
      this.status = status;
    }
  }

  /** A connection that spent longer than its deadline on its request head; closed unanswered. */
  static final class TooSlow extends IOException {
    private static final long serialVersionUID = 1L;

    TooSlow() {
      super("request head not complete in time");
    }
  }

  /**
   * Reads a request head from {@code in} (whose reads time out on their own) until {@code
   * deadlineNanos}, accepting only a {@code Host} in {@code hosts} (lower case).
   */
  static WebRequest read(InputStream in, long deadlineNanos, Set<String> hosts)
      throws IOException, Refused {
    String line = line(in, deadlineNanos, new int[] {MAX_HEAD});
    String[] parts = line.split(" ", -1);
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new Refused(400, "malformed request line");
    }
    String host = null;
    int[] budget = {MAX_HEAD - line.length()};
    for (String h; !(h = line(in, deadlineNanos, budget)).isEmpty(); ) {
      int colon = h.indexOf(':');
      if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("host")) {
        if (host != null) throw new Refused(400, "two Host headers");
        host = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      }
    }
    // DNS rebinding: a foreign page whose name now resolves to 127.0.0.1 still sends its own Host.
    if (host == null || !hosts.contains(host)) {
      throw new Refused(403, "Host must be one of " + hosts);
    }
    if (!parts[0].equals("GET") && !parts[0].equals("HEAD")) {
      throw new Refused(405, "only GET and HEAD");
    }
    return new WebRequest(parts[0], path(parts[1]));
  }

  /** The decoded path of a request target: {@code /a/b.js?x} is {@code /a/b.js}. */
  static String path(String target) throws Refused {
    if (!target.startsWith("/")) throw new Refused(400, "the target must be a path");
    int end = target.length();
    for (char c : new char[] {'?', '#'}) {
      int i = target.indexOf(c);
      if (i >= 0) end = Math.min(end, i);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < end; i++) {
      char c = target.charAt(i);
      if (c == '%') {
        if (i + 2 >= end) throw new Refused(400, "a truncated %-escape");
        int hi = Character.digit(target.charAt(i + 1), 16);
        int lo = Character.digit(target.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) throw new Refused(400, "a malformed %-escape");
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    String path = bytes.toString(StandardCharsets.UTF_8);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\' || c == '\ufffd') {
        throw new Refused(400, "a control character, backslash or bad UTF-8 in the path");
      }
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new Refused(400, "a . or .. segment in the path");
      }
    }
    return path;
  }

  /** One CRLF- (or LF-) terminated line, in ISO-8859-1 as HTTP's head is. */
  private static String line(InputStream in, long deadlineNanos, int[] budget) throws IOException {
    StringBuilder b = new StringBuilder();
    while (true) {
      int c;
      try {
        c = in.read();
      } catch (SocketTimeoutException e) {
        throw new TooSlow();
      }
      if (c < 0) throw new IOException("connection closed in the request head");
      if (System.nanoTime() > deadlineNanos) throw new TooSlow();
      if (--budget[0] < 0) throw new IOException("request head over " + MAX_HEAD + " bytes");
      if (c == '\n') break;
      b.append((char) c);
    }
    int n = b.length();
    if (n > 0 && b.charAt(n - 1) == '\r') b.setLength(n - 1);
    return b.toString();
  }
}
