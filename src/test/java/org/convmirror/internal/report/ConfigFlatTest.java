package org.convmirror.internal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/** Flattened configurations and the paths at which runs differ. */
@Tier.Pure
class ConfigFlatTest {
  private static Map<String, String> flat(String json) throws Exception {
    return ConfigFlat.of(new ObjectMapper().readTree(json));
  }

  @Test
  void leavesBecomePathsAndOnlyDifferencesAreNamed() throws Exception {
    Map<String, String> a =
        flat("{\"train\":{\"seed\":1,\"epochs\":5},\"gan\":{\"loss\":\"bce\",\"x\":null}}");
    Map<String, String> b =
        flat("{\"train\":{\"seed\":2,\"epochs\":5},\"gan\":{\"loss\":\"hinge\",\"x\":null}}");
    assertEquals(
        Map.of("train.seed", "1", "train.epochs", "5", "gan.loss", "bce", "gan.x", "null"), a);
    assertEquals(List.of("train.seed", "gan.loss"), ConfigFlat.differences(List.of(a, b)));
    assertEquals(List.of(), ConfigFlat.differences(List.of(a, a)));
    Map<String, String> c = flat("{\"train\":{\"seed\":1}}");
    assertEquals(
        List.of("train.epochs", "gan.loss", "gan.x"), ConfigFlat.differences(List.of(a, c)));
    assertEquals("seed", ConfigFlat.shortName("train.seed"));
  }
}
