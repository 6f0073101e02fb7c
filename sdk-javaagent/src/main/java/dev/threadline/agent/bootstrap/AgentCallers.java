package dev.threadline.agent.bootstrap;

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

  /** Whether a class of the agent's own loader is on the current stack. */
  public static boolean calledFromAgent() {
    ClassLoader loader = agentLoader;
    if (loader == null) {
      return false;
    }
    return WALKER.walk(
        frames ->
            frames
                .limit(MAX_FRAMES)
                .anyMatch(frame -> frame.getDeclaringClass().getClassLoader() == loader));
  }
}
