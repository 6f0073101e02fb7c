package dev.threadline.sdk.context;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;

/**
 * The {@link ContextStorage} wrapper installed by {@link ContextSwitchHook}: delegates everything
 * and tells the {@link ContextSwitchListener}s after each attach and each restore.
 */
final class HookedContextStorage implements ContextStorage {

  private final ContextStorage delegate;

  HookedContextStorage(ContextStorage delegate) {
    this.delegate = delegate;
  }

  @Override
  public Scope attach(Context toAttach) {
    ContextSwitchListener[] listeners = ContextSwitchListeners.get();
    if (listeners == null) {
      // No listener: the delegate's own scope, nothing allocated here.
      return delegate.attach(toAttach);
    }
    Scope scope = delegate.attach(toAttach);
    if (scope == Scope.noop()) {
      // The default storage's answer when toAttach is already current (or null): neither attach nor
      // close is a switch. A storage answering differently only costs a redundant report of an
      // unchanged context.
      return scope;
    }
    ContextSwitchListeners.notify(listeners, toAttach);
    return new HookedScope(scope);
  }

  @Override
  public Context current() {
    return delegate.current();
  }

  @Override
  public Context root() {
    return delegate.root();
  }

  @Override
  public String toString() {
    return "HookedContextStorage{" + delegate + '}';
  }

  /** Closes the delegate's scope, then reports the context that is now current. */
  private final class HookedScope implements Scope {

    private final Scope scope;
    private boolean closed;

    HookedScope(Scope scope) {
      this.scope = scope;
    }

    @Override
    public void close() {
      scope.close();
      if (closed) {
        return;
      }
      closed = true;
      // Read again rather than reuse the attach-time snapshot: a listener removed since must not be
      // called.
      ContextSwitchListener[] listeners = ContextSwitchListeners.get();
      if (listeners != null) {
        // What the delegate actually restored (it ignores an out-of-order close), not what we
        // expect it to be.
        Context current = delegate.current();
        ContextSwitchListeners.notify(listeners, current == null ? delegate.root() : current);
      }
    }
  }
}
