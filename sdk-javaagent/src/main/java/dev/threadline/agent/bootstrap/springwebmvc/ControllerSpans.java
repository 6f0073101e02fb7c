package dev.threadline.agent.bootstrap.springwebmvc;

import dev.threadline.agent.bootstrap.AgentTracing;
import dev.threadline.agent.bootstrap.Instrumentations;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.semconv.CodeAttributes;
import java.util.concurrent.ConcurrentHashMap;

/** INTERNAL spans around controller methods, current while the controller runs. */
public final class ControllerSpans {
  public static final String INSTRUMENTATION = "spring-webmvc";

  /**
   * {@code ItemController.item} by controller class and method name, made once per controller
   * method rather than concatenated per request; a class's entry goes with the class.
   */
  private static final ClassValue<ConcurrentHashMap<String, String>> spanNames =
      new ClassValue<>() {
        @Override
        protected ConcurrentHashMap<String, String> computeValue(Class<?> controller) {
          return new ConcurrentHashMap<>();
        }
      };

  private ControllerSpans() {}

  /** {@code ItemController.item}: the controller's simple name and the method's. */
  static String spanName(Class<?> controller, String method) {
    ConcurrentHashMap<String, String> byMethod = spanNames.get(controller);
    String name = byMethod.get(method);
    if (name == null) {
      // Bounded by the controller's own methods.
      name = byMethod.computeIfAbsent(method, m -> controller.getSimpleName() + "." + m);
    }
    return name;
  }

  /**
   * Starts {@code ItemController.item} and makes it current; the returned scope also ends the span.
   */
  public static Scope start(Class<?> controller, String method) {
    if (!Instrumentations.isEnabled(INSTRUMENTATION)) {
      return null;
    }
    try {
      String name = spanName(controller, method);
      Span span =
          AgentTracing.tracer(INSTRUMENTATION)
              .spanBuilder(name)
              .setAttribute(CodeAttributes.CODE_FUNCTION_NAME, name)
              .startSpan();
      Scope scope = Context.current().with(span).makeCurrent();
      return new SpanScope(span, scope);
    } catch (Throwable t) {
      Instrumentations.failed(INSTRUMENTATION, t);
      return null;
    }
  }

  public static void end(Scope scope, Throwable error) {
    if (!(scope instanceof SpanScope)) {
      return;
    }
    SpanScope spanScope = (SpanScope) scope;
    if (error != null) {
      spanScope.span.recordException(error);
      spanScope.span.setStatus(StatusCode.ERROR);
    }
    spanScope.close();
  }

  private static final class SpanScope implements Scope {
    private final Span span;
    private final Scope scope;

    SpanScope(Span span, Scope scope) {
      this.span = span;
      this.scope = scope;
    }

    @Override
    public void close() {
      scope.close();
      span.end();
    }
  }
}
