package org.convmirror.internal.testing;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Gives every jqwik property without its own seed the same fixed seed and prints it, so a property
 * that fails on CI fails the same way on any machine from the log alone. Another seed: {@code mvn
 * -B verify -Dconvmirror.jqwik.seed=N}. Registered for all properties in {@code
 * META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}.
 */
public final class JqwikSeed implements AroundPropertyHook {
  /** The system property that overrides the seed. */
  public static final String PROPERTY = "convmirror.jqwik.seed";

  /** Any fixed number would do; this one the properties were last checked with. */
  public static final String DEFAULT = "42";

  /** Registered once for the whole engine, so it must reach every property below it. */
  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public PropertyExecutionResult aroundProperty(
      PropertyLifecycleContext context, PropertyExecutor property) {
    if (context.attributes().seed().filter(s -> !s.isEmpty()).isEmpty()) {
      context.attributes().setSeed(seed());
    }
    PropertyExecutionResult result = property.execute();
    System.out.printf(
        "jqwik seed %s: %s.%s (another: -D%s=N)%n",
        result.seed().orElse("?"),
        context.containerClass().getSimpleName(),
        context.targetMethod().getName(),
        PROPERTY);
    return result;
  }

  /** The seed for this run: {@value #PROPERTY} when set, else {@value #DEFAULT}. */
  static String seed() {
    String s = System.getProperty(PROPERTY, "").strip();
    if (s.isEmpty()) return DEFAULT;
    try {
      Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + PROPERTY + " must be an integer (a jqwik seed), was '" + s + "'", e);
    }
    return s;
  }
}
