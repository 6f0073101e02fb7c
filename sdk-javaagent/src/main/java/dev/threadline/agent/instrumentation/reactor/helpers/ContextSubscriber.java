package dev.threadline.agent.instrumentation.reactor.helpers;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.Fuseable.QueueSubscription;
import reactor.core.Scannable;

/**
 * Delivers an operator's signals to its subscriber with the subscription's OpenTelemetry context
 * current ({@code onSubscribe}, {@code onNext}, {@code onError}, {@code onComplete}), and passes
 * the subscriber's {@code request} and {@code cancel} upstream in it as well, so that work a signal
 * starts on a scheduler thread, an event loop or a future's completing thread stays in the
 * request's trace. The previous context is back on the thread after each signal. When the context
 * is already current the signal passes straight through (no scope is opened).
 *
 * <p>It is the subscription its subscriber sees. Operators assembled on a lifted fuseable publisher
 * expect a {@link QueueSubscription}: it is one that never fuses ({@link #requestFusion} answers
 * {@link Fuseable#NONE}), as the lift of a fuseable publisher already suppresses fusion upstream.
 */
final class ContextSubscriber<T> implements CoreSubscriber<T>, QueueSubscription<T>, Scannable {
  private final CoreSubscriber<? super T> actual;
  private final Context context;
  private Subscription upstream;

  ContextSubscriber(CoreSubscriber<? super T> actual, Context context) {
    this.actual = actual;
    this.context = context;
  }

  Context context() {
    return context;
  }

  @Override
  public reactor.util.context.Context currentContext() {
    return actual.currentContext();
  }

  @Override
  public void onSubscribe(Subscription subscription) {
    this.upstream = subscription;
    if (Context.current() == context) {
      actual.onSubscribe(this);
      return;
    }
    try (Scope ignored = context.makeCurrent()) {
      actual.onSubscribe(this);
    }
  }

  @Override
  public void onNext(T value) {
    if (Context.current() == context) {
      actual.onNext(value);
      return;
    }
    try (Scope ignored = context.makeCurrent()) {
      actual.onNext(value);
    }
  }

  @Override
  public void onError(Throwable error) {
    if (Context.current() == context) {
      actual.onError(error);
      return;
    }
    try (Scope ignored = context.makeCurrent()) {
      actual.onError(error);
    }
  }

  @Override
  public void onComplete() {
    if (Context.current() == context) {
      actual.onComplete();
      return;
    }
    try (Scope ignored = context.makeCurrent()) {
      actual.onComplete();
    }
  }

  @Override
  public void request(long n) {
    if (Context.current() == context) {
      upstream.request(n);
      return;
    }
    try (Scope ignored = context.makeCurrent()) {
      upstream.request(n);
    }
  }

  @Override
  public void cancel() {
    if (Context.current() == context) {
      upstream.cancel();
      return;
    }
    try (Scope ignored = context.makeCurrent()) {
      upstream.cancel();
    }
  }

  @Override
  public int requestFusion(int requestedMode) {
    return Fuseable.NONE;
  }

  @Override
  public T poll() {
    return null;
  }

  @Override
  public int size() {
    return 0;
  }

  @Override
  public boolean isEmpty() {
    return true;
  }

  @Override
  public void clear() {
    // Never fused: nothing is queued here.
  }

  @Override
  public Object scanUnsafe(Attr key) {
    if (key == Attr.PARENT) {
      return upstream;
    }
    if (key == Attr.ACTUAL) {
      return actual;
    }
    if (key == Attr.RUN_STYLE) {
      return Attr.RunStyle.SYNC;
    }
    return null;
  }
}
