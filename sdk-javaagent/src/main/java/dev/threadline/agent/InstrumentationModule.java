package dev.threadline.agent;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * One instrumented library: which types and methods it matches and which advice it applies. Each lives in its
 * own package under {@code dev.threadline.agent.instrumentation}, beside its advice.
 */
public interface InstrumentationModule {

  /** The name used in {@code threadline.instrumentation.<name>.enabled} and in log lines. */
  String name();

  /** Adds this module's type matchers and advice transformers to the agent builder. */
  AgentBuilder extend(AgentBuilder builder, AdviceSupport support);
}
