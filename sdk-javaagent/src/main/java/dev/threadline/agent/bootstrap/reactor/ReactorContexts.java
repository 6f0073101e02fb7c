package dev.threadline.agent.bootstrap.reactor;

import dev.threadline.agent.bootstrap.HelperClasses;
import dev.threadline.agent.bootstrap.Instrumentations;

/**
 * What the Reactor, WebFlux and WebClient instrumentations share: the key under which a request's
 * OpenTelemetry context travels in Reactor's subscriber context, and the context-propagating
 * operator hook, defined once per application class loader.
 */
public final class ReactorContexts {
  /** The settings name of the Reactor instrumentation. */
  public static final String INSTRUMENTATION = "reactor";

  /**
   * The key of the OpenTelemetry context in a Reactor {@code Context}: the server writes the
   * request's context under it, lifted subscribers and WebClient read it.
   */
  public static final String KEY = "dev.threadline.agent.context";

  /** The {@code Hooks.onEachOperator} key of the hook. */
  public static final String HOOK_KEY = "dev.threadline.agent.reactor";

  private static final String HOOK =
      "dev.threadline.agent.instrumentation.reactor.helpers.ContextHook";

  private ReactorContexts() {}

  /**
   * The operator hook for the application loader that has {@code hooks} ({@code
   * reactor.core.publisher.Hooks}), or {@code null} when the instrumentation is off or the hook
   * cannot be made.
   */
  public static Object hook(Class<?> hooks) {
    if (!Instrumentations.isEnabled(INSTRUMENTATION)) {
      return null;
    }
    try {
      return HelperClasses.newInstance(hooks.getClassLoader(), HOOK);
    } catch (Throwable t) {
      Instrumentations.failed(INSTRUMENTATION, t);
      return null;
    }
  }
}
