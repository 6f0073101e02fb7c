package dev.threadline.agent.bootstrap.http;

import dev.threadline.agent.bootstrap.AgentTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * An open CLIENT span of an outgoing HTTP request. Instrumentations make it current only around the
 * library calls that write the request on the calling thread ({@link #makeCurrent()}), so that the
 * kernel side sees the thread in this span when the bytes leave; it is never left current, since
 * the library may return to the caller before the response arrives.
 */
public final class ClientSpan {
  private final Span span;
  private final Context context;
  private final AtomicBoolean ended = new AtomicBoolean();

  ClientSpan(Span span, Context context) {
    this.span = span;
    this.context = context;
  }

  /** The headers to add to the request, flattened as name, value, name, value... */
  public String[] headers() {
    List<String> headers = new ArrayList<>(8);
    AgentTracing.propagator()
        .inject(
            context,
            headers,
            (carrier, name, value) -> {
              carrier.add(name);
              carrier.add(value);
            });
    return headers.toArray(new String[0]);
  }

  /** Ends the span; a status of 400 or more, or an exception, marks it as an error. Idempotent. */
  public void end(int status, Throwable error) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    try {
      if (status > 0) {
        span.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
      }
      if (error != null) {
        span.recordException(error);
        span.setAttribute(ErrorAttributes.ERROR_TYPE, error.getClass().getName());
        span.setStatus(StatusCode.ERROR);
      } else if (status >= 400) {
        span.setAttribute(ErrorAttributes.ERROR_TYPE, Integer.toString(status));
        span.setStatus(StatusCode.ERROR);
      }
    } finally {
      span.end();
    }
  }

  /**
   * Ends the span when an asynchronous response completes. The response's status is read through
   * the public interface named {@code responseInterface} (the library's types are not visible from
   * here).
   */
  public BiConsumer<Object, Throwable> endWhenComplete(
      String responseInterface, String statusMethod) {
    return (response, error) ->
        end(response == null ? 0 : status(response, responseInterface, statusMethod), error);
  }

  private static int status(Object response, String interfaceName, String methodName) {
    for (Class<?> type = response.getClass(); type != null; type = type.getSuperclass()) {
      for (Class<?> candidate : type.getInterfaces()) {
        if (candidate.getName().equals(interfaceName)) {
          try {
            Object status = candidate.getMethod(methodName).invoke(response);
            return status instanceof Integer ? (Integer) status : 0;
          } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
          }
        }
      }
    }
    return 0;
  }

  /** Makes this span current on the calling thread until the returned scope is closed. */
  public Scope makeCurrent() {
    return context.makeCurrent();
  }

  public Span span() {
    return span;
  }
}
