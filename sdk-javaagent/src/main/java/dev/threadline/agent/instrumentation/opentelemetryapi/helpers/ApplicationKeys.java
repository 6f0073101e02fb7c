package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import application.io.opentelemetry.api.baggage.Baggage;
import application.io.opentelemetry.api.trace.Span;
import application.io.opentelemetry.context.ContextKey;
import java.lang.reflect.Field;

/**
 * The application API's context keys of the current span and baggage. They are package-private in
 * the API, so they are read once by reflection; a context access with either is answered from the
 * agent's context.
 */
final class ApplicationKeys {
  static final ContextKey<Span> SPAN = key("application.io.opentelemetry.api.trace.SpanContextKey");
  static final ContextKey<Baggage> BAGGAGE =
      key("application.io.opentelemetry.api.baggage.BaggageContextKey");

  private ApplicationKeys() {}

  /** Fails (at bridge creation, never later in an application call) if a key is not found. */
  static void check() {
    if (SPAN == null || BAGGAGE == null) {
      throw new IllegalStateException("the application API's context keys are not found");
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> ContextKey<T> key(String holder) {
    try {
      Class<?> type = Class.forName(holder, true, ApplicationKeys.class.getClassLoader());
      Field field = type.getDeclaredField("KEY");
      field.setAccessible(true);
      return (ContextKey<T>) field.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("no context key in " + holder, e);
    }
  }
}
