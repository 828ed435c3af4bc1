package org.convmirror.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.testing.Tier;
import org.convmirror.mirror.Mirror;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/** Where the label enters each network, and what it costs, counted by hand for cdcgan28/cvae28. */
@Tier.Pure
class ModelPlansTest {
  private static final ModelSpec CDCGAN = ModelFiles.builtIn("cdcgan28");

  /** Plans hold arrays, which records compare by identity: compare their JSON instead. */
  private static JsonNode json(Object plan) {
    return new ObjectMapper().valueToTree(plan);
  }

  @Test
  void anUnconditionalModelPlansAsBefore() {
    ModelSpec dcgan = ModelFiles.builtIn("dcgan28");
    assertEquals(
        json(Planner.plan("generator", Mirror.of(dcgan))), json(ModelPlans.derived(dcgan)));
    assertEquals(
        json(Planner.plan("discriminator", dcgan.declared())), json(ModelPlans.declared(dcgan)));
    assertNull(ModelPlans.derived(dcgan).label());
  }

  @Test
  void theGeneratorStartsWithTheEmbeddingJoinedToTheLatent() {
    Plan g = ModelPlans.derived(CDCGAN.withConditioning(Conditioning.of(10)));
    List<LayerPlan> l = g.layers();
    assertEquals("embedding", l.get(0).kind());
    assertEquals(10, l.get(0).inChannels());
    assertEquals(10, l.get(0).outChannels());
    assertEquals(100, l.get(0).parameters()); // 10 classes × 10 values
    assertEquals(10L, l.get(0).parametersPerClass());
    assertEquals("concat", l.get(1).kind());
    assertEquals(100, l.get(1).inChannels());
    assertEquals(110, l.get(1).outChannels());
    assertEquals(
        List.of(110, 1, 1),
        List.of(l.get(1).output()[0], l.get(1).output()[1], l.get(1).output()[2]));
    // 110·128·7·7 weights and batch norm's 2·128.
    assertEquals(110 * 128 * 49 + 256, l.get(2).parameters());
    assertEquals(110, l.get(2).inChannels());
    assertEquals(100 + 690_176 + 131_200 + 1_025, g.parameters());
    assertEquals(
        10,
        g.parameters()
            - ModelPlans.derived(CDCGAN.withConditioning(Conditioning.of(9))).parameters());
    assertEquals(10, g.label().parametersPerClass());
    assertEquals(10, g.label().classes());
  }

  @Test
  void conditionalBatchNormCountsGammaAndBetaPerClass() {
    Plan g = ModelPlans.derived(CDCGAN.withConditioning(Conditioning.of(10).withBatchNorm(true)));
    LayerPlan first = g.layers().get(2);
    assertEquals(Boolean.TRUE, first.conditionalBatchNorm());
    assertEquals(110 * 128 * 49 + 10 * 256, first.parameters());
    assertEquals(256L, first.parametersPerClass());
    assertEquals(128 * 64 * 16 + 10 * 128, g.layers().get(3).parameters());
    assertNull(g.layers().get(4).conditionalBatchNorm(), "the output layer has no batch norm");
    assertEquals(100 + 692_480 + 132_352 + 1_025, g.parameters());
    assertTrue(first.extras().startsWith("conditional_batch_norm"), first.extras());
  }

  @Test
  void theDiscriminatorProjectsTheFeaturesEnteringItsHead() {
    Plan d = ModelPlans.declared(CDCGAN.withConditioning(Conditioning.of(10)));
    LayerPlan p = d.layers().get(d.layers().size() - 1);
    assertEquals("projection", p.kind());
    assertEquals(128, p.outChannels()); // φ: the 128 channels of the 7×7 map entering the head
    assertEquals(1_280, p.parameters());
    assertEquals(138_689 + 1_280, d.parameters());
    assertEquals(4, d.layers().size(), "the three declared layers are untouched, one row added");
    assertEquals(
        json(Planner.plan("discriminator", CDCGAN.declared()).layers()),
        json(d.layers().subList(0, 3)));
    assertTrue(p.note().contains("row 1"), p.note());
  }

  @Test
  void theEncoderTakesTheLabelIntoItsHeads() {
    ModelSpec cvae = ModelFiles.builtIn("cvae28").withConditioning(Conditioning.of(10));
    LayerPlan c = ModelPlans.declared(cvae).layers().get(3);
    assertEquals("concat", c.kind());
    assertEquals(256, c.inChannels());
    assertEquals(266, c.outChannels());
    assertEquals(2 * 16 * 10, c.parameters()); // a one-hot column per class in each head
    Plan dec = ModelPlans.derived(cvae);
    assertEquals(26 * 256 + 512, dec.layers().get(2).parameters()); // dense from z ⧺ embed(y)
  }

  @Test
  void autoCountsPerClassAndTheJsonSaysAuto() throws Exception {
    Plan d = ModelPlans.declared(CDCGAN);
    assertEquals(138_689, d.parameters());
    assertEquals(128, d.label().parametersPerClass());
    assertTrue(
        PlanTable.render(d).contains("138,689 parameters + 128 per class"), PlanTable.render(d));
    assertTrue(PlanTable.render(d).contains("1×28×28 + label (classes: auto)"));
    JsonNode json = new ObjectMapper().valueToTree(ModelPlans.derived(CDCGAN));
    assertEquals("auto", json.get("label").get("classes").asText());
    assertEquals(10, json.get("label").get("parameters_per_class").asInt());
    assertEquals("embedding", json.get("layers").get(0).get("kind").asText());
    assertEquals(10, json.get("layers").get(0).get("parameters_per_class").asInt());
    JsonNode known =
        new ObjectMapper()
            .valueToTree(ModelPlans.derived(CDCGAN.withConditioning(Conditioning.of(10))));
    assertEquals(10, known.get("label").get("classes").asInt());
  }
}
