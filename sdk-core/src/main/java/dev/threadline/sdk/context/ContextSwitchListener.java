package dev.threadline.sdk.context;

import io.opentelemetry.context.Context;

/**
 * Told about every change of a thread's current {@link Context}, once {@link ContextSwitchHook} is
 * installed and the listener is registered with {@link ContextSwitchHook#addListener}.
 *
 * <p>Called on the thread whose context changed, right after the change: after a context is
 * attached ({@code makeCurrent()}) and after a scope is closed (the previous context is restored).
 * This is the hot path of every instrumented call: implementations must be fast, must not block,
 * must not allocate if they can avoid it, and must not themselves attach contexts. An exception
 * thrown here is caught, counted and logged once; it never reaches the application.
 */
@FunctionalInterface
public interface ContextSwitchListener {

  /**
   * Called after the current context of the calling thread changed.
   *
   * @param current the context now current on this thread (the root context when none is)
   */
  void onContextSwitch(Context current);
}
