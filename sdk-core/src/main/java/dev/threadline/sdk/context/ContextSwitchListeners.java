package dev.threadline.sdk.context;

import io.opentelemetry.context.Context;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The registered {@link ContextSwitchListener}s, and the guard that keeps their failures away from
 * the app.
 */
final class ContextSwitchListeners {

  private static final Object lock = new Object();

  // Copy-on-write, and null (not empty) when there is no listener: the storage wrapper's fast path
  // is then one volatile read and a null check.
  private static volatile ContextSwitchListener[] listeners;

  // With PublishingContextStorage the publisher is called directly, with the thread's slot, and is
  // not one of `listeners`.
  private static volatile boolean directPublisher;
  private static volatile ThreadContextPublisher publisher;

  private static final AtomicLong failures = new AtomicLong();
  private static final AtomicBoolean failureLogged = new AtomicBoolean();

  private ContextSwitchListeners() {}

  /**
   * The current listeners, or {@code null} when there is none. Callers must not modify the array.
   */
  static ContextSwitchListener[] get() {
    return listeners;
  }

  /** The storage calls a registered publisher itself (see {@link PublishingContextStorage}). */
  static void useDirectPublisher() {
    synchronized (lock) {
      directPublisher = true;
      ContextSwitchListener[] current = listeners;
      if (current != null) {
        for (ContextSwitchListener listener : current) {
          if (listener instanceof ThreadContextPublisher && publisher == null) {
            remove(listener);
            publisher = (ThreadContextPublisher) listener;
          }
        }
      }
    }
  }

  /** The publisher the storage calls directly, or null. */
  static ThreadContextPublisher publisher() {
    return publisher;
  }

  /** Publishes {@code current} in {@code slot}; a failure is counted and logged once. */
  static void publish(ThreadContextPublisher target, ThreadSlot slot, Context current) {
    try {
      target.publish(slot, current);
    } catch (Throwable t) {
      failed(target, t);
    }
  }

  static void add(ContextSwitchListener listener) {
    synchronized (lock) {
      if (directPublisher && listener instanceof ThreadContextPublisher) {
        if (publisher == null) {
          publisher = (ThreadContextPublisher) listener;
          return;
        }
        if (publisher == listener) {
          return;
        }
        // A second publisher (two regions in one JVM) is an ordinary listener.
      }
      ContextSwitchListener[] current = listeners;
      if (current == null) {
        listeners = new ContextSwitchListener[] {listener};
        return;
      }
      for (ContextSwitchListener registered : current) {
        if (registered == listener) {
          return;
        }
      }
      ContextSwitchListener[] grown = Arrays.copyOf(current, current.length + 1);
      grown[current.length] = listener;
      listeners = grown;
    }
  }

  static void remove(ContextSwitchListener listener) {
    synchronized (lock) {
      if (listener == publisher) {
        publisher = null;
        return;
      }
      ContextSwitchListener[] current = listeners;
      if (current == null) {
        return;
      }
      int index = -1;
      for (int i = 0; i < current.length; i++) {
        if (current[i] == listener) {
          index = i;
          break;
        }
      }
      if (index < 0) {
        return;
      }
      if (current.length == 1) {
        listeners = null;
        return;
      }
      ContextSwitchListener[] shrunk = new ContextSwitchListener[current.length - 1];
      System.arraycopy(current, 0, shrunk, 0, index);
      System.arraycopy(current, index + 1, shrunk, index, current.length - index - 1);
      listeners = shrunk;
    }
  }

  /** Calls every listener; one that throws is counted and skipped, the others still run. */
  static void notify(ContextSwitchListener[] snapshot, Context current) {
    for (ContextSwitchListener listener : snapshot) {
      try {
        listener.onContextSwitch(current);
      } catch (Throwable t) {
        // Throwable on purpose: this runs inside every makeCurrent()/close() of the application,
        // which must never fail because an observer did.
        failed(listener, t);
      }
    }
  }

  static long failureCount() {
    return failures.get();
  }

  private static void failed(ContextSwitchListener listener, Throwable t) {
    failures.incrementAndGet();
    // The flag is set before logging: a log handler that itself switches context re-enters here and
    // must not log again (or recurse).
    if (failureLogged.compareAndSet(false, true)) {
      // Looked up only now: touching java.util.logging from a javaagent's premain can break
      // application servers that install their own LogManager later.
      Logger.getLogger("dev.threadline")
          .log(
              Level.WARNING,
              "ContextSwitchListener "
                  + listener.getClass().getName()
                  + " threw; the exception was ignored and further failures are only counted",
              t);
    }
  }
}
