package dev.threadline.sdk.context;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The context-switch hook's storage when OpenTelemetry's own thread-local storage is in use: it
 * takes that storage's place rather than wrapping it, so that a context switch costs one
 * thread-local lookup in all and the thread's slot of the thread-context region travels with its
 * current context (no second lookup to publish it, none at all on close). Semantics are those of
 * OpenTelemetry's {@code ThreadLocalContextStorage}: attaching the current context is a no-op, and
 * closing a scope that is not the current one (out of order, or on another thread) is ignored.
 *
 * <p>Switches are reported to the {@link ThreadContextPublisher} registered with the hook,
 * directly, and to any other {@link ContextSwitchListener}, as {@link HookedContextStorage} does.
 */
final class PublishingContextStorage implements ContextStorage {
  private static final Logger logger = Logger.getLogger(PublishingContextStorage.class.getName());

  private final ContextStorage original;
  private final ThreadLocal<ThreadState> states = ThreadLocal.withInitial(ThreadState::new);

  /** The default storage's class (relocated with OpenTelemetry, as in the agent). */
  static boolean isOpenTelemetryDefault(ContextStorage storage) {
    return storage
        .getClass()
        .getName()
        .equals(ContextStorage.class.getPackageName() + ".ThreadLocalContextStorage");
  }

  PublishingContextStorage(ContextStorage original) {
    this.original = original;
  }

  /** One thread's current context, and its slot once the publisher gave it one. */
  static final class ThreadState {
    final Thread owner = Thread.currentThread();
    Context current;
    ThreadSlot slot;
    ThreadContextPublisher slotOf;
  }

  @Override
  public Scope attach(Context toAttach) {
    if (toAttach == null) {
      return Scope.noop();
    }
    ThreadState state = states.get();
    Context before = state.current;
    if (before == toAttach) {
      return Scope.noop();
    }
    state.current = toAttach;
    switched(state, toAttach);
    return new PublishingScope(state, before, toAttach);
  }

  /** As {@link #attach}, without the scope: the caller restores the thread's context itself. */
  void switchTo(Context context) {
    ThreadState state = states.get();
    if (state.current != context) {
      state.current = context;
      switched(state, context);
    }
  }

  @Override
  public Context current() {
    return states.get().current;
  }

  @Override
  public Context root() {
    return original.root();
  }

  private void switched(ThreadState state, Context now) {
    Context reported = now == null ? original.root() : now;
    ThreadContextPublisher publisher = ContextSwitchListeners.publisher();
    if (publisher != null) {
      ThreadSlot slot = state.slot;
      if (state.slotOf != publisher) {
        slot = publisher.slotOfCurrentThread();
        state.slot = slot;
        state.slotOf = publisher;
      }
      ContextSwitchListeners.publish(publisher, slot, reported);
    }
    ContextSwitchListener[] listeners = ContextSwitchListeners.get();
    if (listeners != null) {
      ContextSwitchListeners.notify(listeners, reported);
    }
  }

  @Override
  public String toString() {
    return "PublishingContextStorage";
  }

  /** Restores the context that was current before its attach, and reports it. */
  private final class PublishingScope implements Scope {
    private final ThreadState state;
    private final Context before;
    private final Context attached;
    private boolean closed;

    PublishingScope(ThreadState state, Context before, Context attached) {
      this.state = state;
      this.before = before;
      this.attached = attached;
    }

    @Override
    public void close() {
      if (closed || state.owner != Thread.currentThread() || state.current != attached) {
        logger.log(
            Level.FINE,
            "Trying to close scope which does not represent current context. Ignoring the call.");
        return;
      }
      closed = true;
      state.current = before;
      switched(state, before);
    }
  }
}
