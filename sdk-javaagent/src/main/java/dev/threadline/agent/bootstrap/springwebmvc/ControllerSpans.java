package dev.threadline.agent.bootstrap.springwebmvc;

import dev.threadline.agent.bootstrap.AgentTracing;
import dev.threadline.agent.bootstrap.Instrumentations;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.semconv.CodeAttributes;

/** INTERNAL spans around controller methods, current while the controller runs. */
public final class ControllerSpans {
  public static final String INSTRUMENTATION = "spring-webmvc";

  private ControllerSpans() {}

  /**
   * Starts {@code ItemController.item} and makes it current; the returned scope also ends the span.
   */
  public static Scope start(String controller, String method) {
    if (!Instrumentations.isEnabled(INSTRUMENTATION)) {
      return null;
    }
    try {
      Span span =
          AgentTracing.tracer(INSTRUMENTATION)
              .spanBuilder(controller + "." + method)
              .setAttribute(CodeAttributes.CODE_FUNCTION_NAME, controller + "." + method)
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
