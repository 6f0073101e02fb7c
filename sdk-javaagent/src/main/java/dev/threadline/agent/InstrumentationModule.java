package dev.threadline.agent;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * One instrumented library: which types and methods it matches and which advice it applies. Each
 * lives in its own package under {@code dev.threadline.agent.instrumentation}, beside its advice.
 */
public interface InstrumentationModule {

  /** The name used in {@code threadline.instrumentation.<name>.enabled} and in log lines. */
  String name();

  /** Whether the module runs when {@code threadline.instrumentation.<name>.enabled} is not set. */
  default boolean enabledByDefault() {
    return true;
  }

  /** Adds this module's type matchers and advice transformers to the agent builder. */
  AgentBuilder extend(AgentBuilder builder, AdviceSupport support);
}
