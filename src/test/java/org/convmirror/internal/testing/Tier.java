package org.convmirror.internal.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The three test tiers, as tags for JUnit and jqwik alike. Every test class carries exactly one
 * (TierTagsTest fails otherwise); a method may add a heavier one, and then runs with that tier.
 *
 * <ul>
 *   <li>{@link Pure}: no engine (libtorch never loads; {@link NoEngineCheck}), no other process;
 *       milliseconds to seconds. {@code mvn -B verify -Pfast} runs only these.
 *   <li>{@link Engine}: DJL in the test JVM — tensors, blocks, training, the CLI run in-process.
 *   <li>{@link Process}: starts another process — a child JVM (the CLI as a user runs it), a
 *       browser, python.
 * </ul>
 */
public final class Tier {
  public static final String PURE = "pure";
  public static final String ENGINE = "engine";
  public static final String PROCESS = "process";

  private Tier() {}

  /** Spec, shape, mirror, config, run files, data, statistics: plain Java, no engine. */
  @Target({ElementType.TYPE, ElementType.METHOD})
  @Retention(RetentionPolicy.RUNTIME)
  @Tag(PURE)
  @net.jqwik.api.Tag(PURE)
  @ExtendWith(NoEngineCheck.class)
  public @interface Pure {}

  /** Uses DJL's engine in the test JVM. */
  @Target({ElementType.TYPE, ElementType.METHOD})
  @Retention(RetentionPolicy.RUNTIME)
  @Tag(ENGINE)
  @net.jqwik.api.Tag(ENGINE)
  public @interface Engine {}

  /** Starts another process: a child JVM, a browser, python. */
  @Target({ElementType.TYPE, ElementType.METHOD})
  @Retention(RetentionPolicy.RUNTIME)
  @Tag(PROCESS)
  @net.jqwik.api.Tag(PROCESS)
  public @interface Process {}
}
