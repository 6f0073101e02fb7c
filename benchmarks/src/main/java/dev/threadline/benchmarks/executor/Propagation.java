package dev.threadline.benchmarks.executor;

import com.alibaba.ttl.TransmittableThreadLocal;
import com.alibaba.ttl.TtlRunnable;
import dev.threadline.sdk.context.ContextExecutors;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The ways of handing a task off that the benchmarks compare, and the "request" each one carries.
 * For TTL the request's context is held in a {@link TransmittableThreadLocal}, the way an
 * application using TTL keeps it.
 */
public enum Propagation {
  NONE {
    @Override
    Runnable wrap(Runnable task) {
      return task;
    }
  },
  THREADLINE {
    @Override
    Runnable wrap(Runnable task) {
      return ContextExecutors.wrap(task);
    }
  },
  /**
   * The agent's way for {@code ThreadPoolExecutor}: the task is not wrapped; the pool remembers its
   * context in a weak identity map on submit and attaches it in {@code beforeExecute}.
   */
  AGENT_POOL {
    @Override
    Runnable wrap(Runnable task) {
      return task;
    }

    @Override
    ThreadPoolExecutor newPool() {
      return new AgentInstrumentedPool();
    }

    // The agent's classes run on its relocated copy of OpenTelemetry, with their own context.
    @Override
    Scope enterRequest() {
      dev.threadline.agent.shaded.io.opentelemetry.context.Scope scope =
          dev.threadline.agent.shaded.io.opentelemetry.api.trace.Span.wrap(
                  dev.threadline.agent.shaded.io.opentelemetry.api.trace.SpanContext.create(
                      TRACE_ID,
                      SPAN_ID,
                      dev.threadline.agent.shaded.io.opentelemetry.api.trace.TraceFlags
                          .getSampled(),
                      dev.threadline.agent.shaded.io.opentelemetry.api.trace.TraceState
                          .getDefault()))
              .makeCurrent();
      return scope::close;
    }

    @Override
    String currentTraceId() {
      return dev.threadline.agent.shaded.io.opentelemetry.api.trace.Span.current()
          .getSpanContext()
          .getTraceId();
    }
  },
  TTL {
    @Override
    Runnable wrap(Runnable task) {
      return TtlRunnable.get(task);
    }

    @Override
    String currentTraceId() {
      Context context = TTL_CONTEXT.get();
      return Span.fromContext(context == null ? Context.root() : context)
          .getSpanContext()
          .getTraceId();
    }
  },
  OTEL_WRAP {
    @Override
    Runnable wrap(Runnable task) {
      return Context.current().wrap(task);
    }
  };

  static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  static final String SPAN_ID = "b7ad6b7169203331";
  static final TransmittableThreadLocal<Context> TTL_CONTEXT = new TransmittableThreadLocal<>();

  abstract Runnable wrap(Runnable task);

  /** The one-thread pool tasks are submitted to. */
  ThreadPoolExecutor newPool() {
    return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
  }

  /**
   * Makes a request's span ({@link #TRACE_ID}) current on the calling thread, where this way of
   * propagation reads it (for TTL in its thread-local too); closed by the returned scope.
   */
  Scope enterRequest() {
    Span span =
        Span.wrap(
            SpanContext.create(
                TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
    Context context = Context.root().with(span);
    TTL_CONTEXT.set(context);
    Scope scope = context.makeCurrent();
    return () -> {
      scope.close();
      TTL_CONTEXT.remove();
    };
  }

  /** The trace id of the span current on the calling thread, as this way of propagation sees it. */
  String currentTraceId() {
    return Span.current().getSpanContext().getTraceId();
  }
}
