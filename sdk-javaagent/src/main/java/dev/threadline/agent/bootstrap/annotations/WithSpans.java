package dev.threadline.agent.bootstrap.annotations;

import dev.threadline.agent.bootstrap.AgentTracing;
import dev.threadline.agent.bootstrap.Instrumentations;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The span of one {@code @WithSpan} method call: named {@code value()} or {@code Class.method}, of
 * kind {@code kind()}, a child of the current context (of none with {@code inheritContext =
 * false}), current during the call; ended with ERROR and the exception recorded when the method
 * throws, and when the returned {@code CompletionStage} completes for methods returning one.
 */
public final class WithSpans {
  public static final String INSTRUMENTATION = "opentelemetry-instrumentation-annotations";
  public static final String WITH_SPAN = "io.opentelemetry.instrumentation.annotations.WithSpan";

  /**
   * Per class, by {@code name(descriptor)}: what each {@code @WithSpan} method's annotations say.
   */
  private static final ClassValue<Map<String, MethodSpan>> METHODS =
      new ClassValue<>() {
        @Override
        protected Map<String, MethodSpan> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  private WithSpans() {}

  /**
   * Starts the span of a call to {@code type}'s method {@code method} ({@code name(descriptor)})
   * and makes it current; null if disabled.
   */
  public static Object start(Class<?> type, String method, Object[] arguments) {
    if (!Instrumentations.isEnabled(INSTRUMENTATION)) {
      return null;
    }
    try {
      MethodSpan spec =
          METHODS.get(type).computeIfAbsent(method, key -> MethodSpan.of(declared(type, key)));
      Context parent = spec.inheritContext ? Context.current() : Context.root();
      Span span = spec.start(AgentTracing.tracer(INSTRUMENTATION), parent, arguments);
      return new Call(span, parent.with(span).makeCurrent(), spec.async);
    } catch (Throwable t) {
      Instrumentations.failed(INSTRUMENTATION, t);
      return null;
    }
  }

  /** Leaves the call's scope and ends its span now, or when {@code result} completes. */
  public static void end(Object call, Object result, Throwable error) {
    if (!(call instanceof Call)) {
      return;
    }
    Call c = (Call) call;
    c.scope.close();
    if (error == null && c.async && result instanceof CompletionStage) {
      ((CompletionStage<?>) result).whenComplete((value, failure) -> finish(c.span, failure));
    } else {
      finish(c.span, error);
    }
  }

  private static Method declared(Class<?> type, String nameAndDescriptor) {
    for (Method method : type.getDeclaredMethods()) {
      if (nameAndDescriptor.equals(nameAndDescriptor(method))) {
        return method;
      }
    }
    throw new IllegalStateException("no method " + nameAndDescriptor + " in " + type.getName());
  }

  static String nameAndDescriptor(Method method) {
    StringBuilder out = new StringBuilder(method.getName()).append('(');
    for (Class<?> parameter : method.getParameterTypes()) {
      out.append(parameter.descriptorString());
    }
    return out.append(')').append(method.getReturnType().descriptorString()).toString();
  }

  private static void finish(Span span, Throwable error) {
    if (error != null) {
      Throwable cause = error;
      while ((cause instanceof CompletionException || cause instanceof ExecutionException)
          && cause.getCause() != null) {
        cause = cause.getCause();
      }
      span.recordException(cause);
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  private static final class Call {
    final Span span;
    final Scope scope;
    final boolean async;

    Call(Span span, Scope scope, boolean async) {
      this.span = span;
      this.scope = scope;
      this.async = async;
    }
  }
}
