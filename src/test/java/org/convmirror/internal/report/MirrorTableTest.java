package org.convmirror.internal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.internal.testing.Tier;
import org.convmirror.shape.ModelPlans;
import org.convmirror.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/** Which derived layer shares a row with which declared layer, for the built-in models. */
@Tier.Pure
class MirrorTableTest {
  private static List<MirrorTable.Row> rows(String model) {
    ModelSpec spec = ModelFiles.builtIn(model);
    return MirrorTable.rows(ModelPlans.declared(spec), ModelPlans.derived(spec));
  }

  private static MirrorTable.Row row(int left, int right) {
    return new MirrorTable.Row(left, right);
  }

  @Test
  void dcganPairsEachConvolutionWithItsTransposeFromTheImageDown() {
    assertEquals(List.of(row(0, 2), row(1, 1), row(2, 0)), rows("dcgan28"));
  }

  @Test
  void vaePairsTheDenseLayerAndLeavesTheReshapeAndTheLatentsProjectionAlone() {
    // encoder: conv, conv, dense 3136→256; decoder: dense 16→256, dense 256→3136, reshape, convT,
    // convT
    assertEquals(List.of(row(0, 4), row(1, 3), row(-1, 2), row(2, 1), row(-1, 0)), rows("vae28"));
  }

  @Test
  void theLabelsRowsOfAConditionalModelStandAlone() {
    // discriminator: conv, conv, conv, projection; generator: embedding, concat, convT ×3
    assertEquals(
        List.of(row(0, 4), row(1, 3), row(2, 2), row(3, -1), row(-1, 1), row(-1, 0)),
        rows("cdcgan28"));
  }

  @Test
  void theTableShowsMatchingShapesOnEachPairedRow() {
    ModelSpec spec = ModelFiles.builtIn("dcgan28");
    String html = MirrorTable.html(ModelPlans.declared(spec), ModelPlans.derived(spec));
    // Row 1: the discriminator's conv makes 128×7×7, which the generator's layer 1 takes in.
    int pair = html.indexOf("<tr class=\"pair\"><td class=\"n\">1</td>");
    String row = html.substring(pair, html.indexOf("</tr>", pair));
    assertEquals(2, row.split("128×7×7", -1).length - 1, row);
  }
}
