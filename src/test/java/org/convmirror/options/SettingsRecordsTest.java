package org.convmirror.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convmirror.internal.testing.MainSources;
import org.convmirror.internal.testing.Tier;
import org.junit.jupiter.api.Test;

/**
 * The settings records are made and changed only through their builders: each record's canonical
 * constructor is called once in the main sources, by its own builder (Jackson calls it too, by
 * reflection), and no record has withers.
 */
@Tier.Pure
class SettingsRecordsTest {
  private static final List<Class<?>> SETTINGS =
      List.of(
          TrainConfig.class,
          AdamOptions.class,
          GanOptions.class,
          VaeOptions.class,
          Penalty.class,
          Average.class,
          RunConfig.class);

  @Test
  void onlyEachRecordsBuilderCallsItsConstructor() throws IOException {
    List<String> calls = new ArrayList<>();
    int builders = 0;
    for (var s : MainSources.all()) {
      for (Class<?> r : SETTINGS) {
        Matcher m = Pattern.compile("\\bnew\\s+" + r.getSimpleName() + "\\s*\\(").matcher(s.text());
        while (m.find()) {
          boolean own = s.type().equals(r.getSimpleName());
          int builder = s.text().indexOf("public static final class Builder");
          if (own && builder >= 0 && m.start() > builder) builders++;
          else calls.add(s.type() + ": new " + r.getSimpleName() + "(…) at offset " + m.start());
        }
      }
    }
    assertEquals(List.of(), calls, "positional calls of a settings record outside its builder");
    assertEquals(SETTINGS.size(), builders, "one call in each record's builder");
  }

  @Test
  void recordsHaveBuildersAndNoWithers() throws Exception {
    for (Class<?> r : SETTINGS) {
      assertTrue(r.isRecord(), r + " is a record");
      Method toBuilder = r.getMethod("toBuilder");
      assertTrue(toBuilder.getReturnType().getSimpleName().equals("Builder"), r + ".toBuilder()");
      for (Method m : r.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) && m.getName().matches("with[A-Z].*")) {
          throw new AssertionError(r.getSimpleName() + " has a wither: " + m.getName());
        }
      }
    }
  }

  @Test
  void aRecordCopiedThroughItsBuilderIsEqual() {
    GanOptions g = GanPreset.WGAN_GP.options();
    assertEquals(g, g.toBuilder().build());
    TrainConfig t = TrainConfig.builder("m", "text").epochs(3).seed(9).classifier("c").build();
    assertEquals(t, t.toBuilder().build());
    VaeOptions v = VaeOptions.builder().klWeight(0.5f).klWarmupEpochs(2).build();
    assertEquals(v, v.toBuilder().build());
    RunConfig rc = RunConfig.gan(t, g);
    assertEquals(rc, rc.toBuilder().build());
    Penalty p = Penalty.builder(Penalty.Kind.R1).weight(3).every(4).build();
    assertEquals(p, p.toBuilder().build());
    Average a = Average.builder().halfLifeImages(5).rampUp(0.1).build();
    assertEquals(a, a.toBuilder().build());
    AdamOptions adam = AdamOptions.builder(1e-3f, 0.8f).beta2(0.99f).build();
    assertEquals(adam, adam.toBuilder().build());
  }
}
