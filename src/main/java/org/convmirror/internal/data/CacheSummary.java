package org.convmirror.internal.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * What decoding a folder found, kept in the cache beside the pixels so that a later run can report
 * it without decoding again.
 *
 * @param classes the class sub-folders, in label order (empty: no labels)
 * @param skipped files that could not be used, with why, in path order
 * @param modes how many images had each colour mode, e.g. {@code RGB}
 * @param sizes how many images had each size, e.g. {@code 64×64}
 * @param seconds how long decoding took
 * @param threads threads that decoded
 */
record CacheSummary(
    List<String> classes,
    List<FolderScan.Skip> skipped,
    Map<String, Integer> modes,
    Map<String, Integer> sizes,
    double seconds,
    int threads) {

  private static final ObjectMapper JSON = new ObjectMapper();

  CacheSummary {
    classes = List.copyOf(classes);
    skipped = List.copyOf(skipped);
    modes = Map.copyOf(modes);
    sizes = Map.copyOf(sizes);
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a summary of strings and numbers always serialises", e);
    }
  }

  static CacheSummary fromJson(byte[] json) throws java.io.IOException {
    return JSON.readValue(json, CacheSummary.class);
  }
}
