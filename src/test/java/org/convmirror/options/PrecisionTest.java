package org.convmirror.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convmirror.error.UsageException;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/** {@code --precision}: its names, its default, and what a run recorded before it reads as. */
@Tier.Pure
class PrecisionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void namesAreTheFlagsValuesInAnyCase() {
    assertEquals(Precision.BF16, Precision.of("bf16"));
    assertEquals(Precision.FP32, Precision.of(" FP32 "));
    assertEquals(Precision.AUTO, Precision.of("Auto"));
    assertEquals(Precision.BF16_DECLARED, Precision.of("BF16-Declared"));
    assertEquals("bf16", Precision.BF16.id());
    assertEquals("bf16-declared", Precision.BF16_DECLARED.id());
  }

  @Test
  void eachHalfGetsAConcretePrecision() {
    assertEquals(Precision.FP32, Precision.FP32.declared());
    assertEquals(Precision.FP32, Precision.FP32.derived());
    assertEquals(Precision.BF16, Precision.BF16.declared());
    assertEquals(Precision.BF16, Precision.BF16.derived());
    assertEquals(Precision.BF16, Precision.BF16_DECLARED.declared());
    assertEquals(Precision.FP32, Precision.BF16_DECLARED.derived());
    assertThrows(IllegalStateException.class, Precision.AUTO::declared);
    assertThrows(IllegalStateException.class, Precision.AUTO::derived);
  }

  @Test
  void aWrongNameSaysWhichOnesExist() {
    UsageException e = assertThrows(UsageException.class, () -> Precision.of("fp16"));
    assertEquals(
        "--precision must be one of [fp32, bf16, bf16-declared, auto], was 'fp16'", e.getMessage());
  }

  @Test
  void aNewConfigurationIsAutoAndAnOldRecordIsFloat32() throws Exception {
    TrainConfig fresh = TrainConfig.builder("dcgan28", "yaml").build();
    assertEquals(Precision.AUTO, fresh.precision());
    ObjectNode recorded = JSON.valueToTree(fresh.toBuilder().precision(Precision.BF16).build());
    assertEquals("bf16", recorded.get("precision").asText());
    assertEquals(Precision.BF16, JSON.treeToValue(recorded, TrainConfig.class).precision());
    recorded.put("precision", "bf16-declared");
    assertEquals(
        Precision.BF16_DECLARED, JSON.treeToValue(recorded, TrainConfig.class).precision());
    recorded.remove("precision"); // a run of an earlier release
    assertEquals(Precision.FP32, JSON.treeToValue(recorded, TrainConfig.class).precision());
    recorded.put("precision", "fp8");
    assertThrows(Exception.class, () -> JSON.treeToValue(recorded, TrainConfig.class));
  }
}
