package org.convmirror.internal.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.convmirror.internal.config.ModelFiles;
import org.convmirror.shape.ModelPlans;
import org.convmirror.shape.Plan;
import org.convmirror.shape.PlanTable;
import org.convmirror.spec.Conditioning;
import org.convmirror.spec.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code convmirror plan FILE}: both networks, layer by layer, with shapes and costs. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = "Print the declared network and its derived mirror, layer by layer.")
final class PlanCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      arity = "0..1",
      defaultValue = "dcgan28",
      description =
          "Model file (.yaml/.json) or built-in model (${COMPLETION-CANDIDATES}). Default: ${DEFAULT-VALUE}.",
      completionCandidates = BuiltInModels.class)
  String model;

  @Option(names = "--json", description = "Print the plan as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ModelSpec spec = ModelFiles.resolve(model);
    Plan declared = ModelPlans.declared(spec);
    Plan derived = ModelPlans.derived(spec);
    if (json) {
      Map<String, Plan> out = new LinkedHashMap<>();
      out.put(declared.name(), declared);
      out.put(derived.name(), derived);
      System.out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    } else {
      System.out.println(
          spec.kind()
              + " for "
              + spec.image()
              + " images, latent "
              + spec.latent()
              + (spec.likelihood() == null
                  ? ""
                  : ", "
                      + spec.likelihood().name().toLowerCase(java.util.Locale.ROOT)
                      + " likelihood")
              + conditioning(spec));
      System.out.println();
      System.out.println(PlanTable.render(declared));
      System.out.print(PlanTable.render(derived));
    }
    return 0;
  }

  /** {@code , conditional on 10 classes (embedding 50, conditional batch norm)}, or "". */
  private static String conditioning(ModelSpec spec) {
    Conditioning c = spec.conditioning();
    if (c == null) return "";
    return ", conditional on "
        + (c.isAuto() ? "the data's classes (classes: auto; " : c.classes() + " classes (")
        + "label embedding "
        + c.embedding()
        + (c.batchNorm() ? ", conditional batch norm" : "")
        + ")";
  }
}
