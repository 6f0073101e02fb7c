package dev.threadline.agent.bootstrap;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which instrumentations are switched off, by setting or because one failed. A failing
 * instrumentation is logged once and disabled; the application goes on.
 */
public final class Instrumentations {
  private static final Set<String> disabled = ConcurrentHashMap.newKeySet();

  private Instrumentations() {}

  public static boolean isEnabled(String name) {
    return !disabled.contains(name);
  }

  public static void disable(String name) {
    disabled.add(name);
  }

  /** Called where an instrumentation's own code threw: log once, switch it off. */
  public static void failed(String name, Throwable error) {
    if (disabled.add(name)) {
      AgentLog.warn("instrumentation '" + name + "' failed and is now disabled", error);
    }
  }

  /**
   * Called by the exception handler of every advice (an advice threw; the suppressed throwable is
   * passed).
   */
  public static void adviceFailed(Throwable error, String name) {
    failed(name, error);
  }
}
