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

/**
 * The four ways of handing a task off that the benchmarks compare, and the "request" each one
 * carries. For TTL the request's context is held in a {@link TransmittableThreadLocal}, the way an
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
  TTL {
    @Override
    Runnable wrap(Runnable task) {
      return TtlRunnable.get(task);
    }
  },
  OTEL_WRAP {
    @Override
    Runnable wrap(Runnable task) {
      return Context.current().wrap(task);
    }
  };

  static final TransmittableThreadLocal<Context> TTL_CONTEXT = new TransmittableThreadLocal<>();

  abstract Runnable wrap(Runnable task);

  /**
   * Makes a request's span current on the calling thread (in the TTL too); closed by the returned
   * scope.
   */
  static Scope enterRequest() {
    Span span =
        Span.wrap(
            SpanContext.create(
                "0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331",
                TraceFlags.getSampled(),
                TraceState.getDefault()));
    Context context = Context.root().with(span);
    TTL_CONTEXT.set(context);
    Scope scope = context.makeCurrent();
    return () -> {
      scope.close();
      TTL_CONTEXT.remove();
    };
  }
}
