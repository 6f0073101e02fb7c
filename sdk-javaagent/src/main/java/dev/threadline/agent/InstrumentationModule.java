package dev.threadline.agent;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * One instrumented library: which types and methods it matches and which advice it applies. Each
 * lives in its own package under {@code dev.threadline.agent.instrumentation}, beside its advice,
 * and is listed in {@code META-INF/services/dev.threadline.agent.InstrumentationModule}, where the
 * installer finds it with {@link java.util.ServiceLoader} (so it needs a public no-argument
 * constructor).
 */
public interface InstrumentationModule {

  /** The name used in {@code threadline.instrumentation.<name>.enabled} and in log lines. */
  String name();

  /** Whether the module runs when {@code threadline.instrumentation.<name>.enabled} is not set. */
  default boolean enabledByDefault() {
    return true;
  }

  /**
   * Whether this module instruments the JDK class {@code className} (one loaded by the bootstrap or
   * platform class loader). The installer ignores every other JDK class; application classes are
   * not asked about.
   */
  default boolean instrumentsJdkType(String className) {
    return false;
  }

  /** Adds this module's type matchers and advice transformers to the agent builder. */
  AgentBuilder extend(AgentBuilder builder, AdviceSupport support);
}
