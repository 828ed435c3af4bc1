package org.convmirror.internal.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

/** The little HTML a report needs: escaping, numbers, embedded images and the page's frame. */
final class Html {
  /**
   * Nothing the page loads may come from anywhere but the page itself: images are data URIs, the
   * style and the slider's script are inline. A report opened from a mail or a copied folder must
   * look the same, and must never reach for the network.
   */
  private static final String POLICY =
      "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

  private static final String CSS = resource("report.css");
  private static final String SCRIPT = resource("report.js");

  private Html() {}

  /** Text for an element or an attribute value. */
  static String esc(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A number as a table shows it: integers plainly, others to 4 decimals or 4 significant. */
  static String num(double v) {
    if (Double.isNaN(v)) return "—";
    if (Double.isInfinite(v)) return v > 0 ? "∞" : "−∞";
    if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
    double a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) return String.format(Locale.ROOT, "%.3e", v);
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** A PNG as a data URI, so the page needs no file beside it. */
  static String pngUri(Path png) throws IOException {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png));
  }

  /** A complete page: title, the inline style and script, and {@code body}. */
  static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        + "<meta http-equiv=\"Content-Security-Policy\" content=\""
        + POLICY
        + "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
        + esc(title)
        + "</title>\n<style>\n"
        + CSS
        + "</style>\n</head>\n<body>\n"
        + body
        + "<script>\n"
        + SCRIPT
        + "</script>\n</body></html>\n";
  }

  private static String resource(String name) {
    try (InputStream in = Html.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
