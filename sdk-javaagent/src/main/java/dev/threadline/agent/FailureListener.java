package dev.threadline.agent;

import dev.threadline.agent.bootstrap.Instrumentations;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.utility.JavaModule;

/**
 * A type that could not be transformed disables the module that matched it; the class loads
 * unchanged.
 */
final class FailureListener extends AgentBuilder.Listener.Adapter {
  private final AdviceSupport support;

  FailureListener(AdviceSupport support) {
    this.support = support;
  }

  @Override
  public void onError(
      String typeName,
      ClassLoader classLoader,
      JavaModule module,
      boolean loaded,
      Throwable throwable) {
    String owner = support.moduleOf(typeName);
    if (owner != null) {
      Instrumentations.failed(
          owner, new IllegalStateException("cannot instrument " + typeName, throwable));
    }
  }
}
