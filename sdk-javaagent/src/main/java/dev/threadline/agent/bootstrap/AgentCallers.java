package dev.threadline.agent.bootstrap;

import io.opentelemetry.api.impl.InstrumentationUtil;
import io.opentelemetry.context.Context;

/**
 * Recognises calls made by the agent itself (its OTLP exporter's HTTP requests), which must not be
 * traced: a span per export would feed the exporter forever.
 */
public final class AgentCallers {
  private static final int MAX_FRAMES = 64;
  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
  private static volatile ClassLoader agentLoader;

  private AgentCallers() {}

  public static void setAgentLoader(ClassLoader loader) {
    agentLoader = loader;
  }

  /**
   * Whether the current call is the agent's own. The SDK's exporters mark theirs the OpenTelemetry
   * way, with the suppress-instrumentation key in the context (which the agent carries to their
   * sender's thread). Other calls made outside any trace are checked for a class of the agent's
   * loader on the stack; a call inside a trace, nearly every application call, is answered without
   * that walk (up to 64 frames, tens of microseconds).
   */
  public static boolean calledFromAgent() {
    Context context = Context.current();
    if (InstrumentationUtil.shouldSuppressInstrumentation(context)) {
      return true;
    }
    ClassLoader loader = agentLoader;
    if (loader == null || context != Context.root()) {
      return false;
    }
    return WALKER.walk(
        frames ->
            frames
                .limit(MAX_FRAMES)
                .anyMatch(frame -> frame.getDeclaringClass().getClassLoader() == loader));
  }
}
