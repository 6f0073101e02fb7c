package dev.threadline.bridge.node;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The deadline of the part of a request its connection thread is waiting on the client for (the
 * headers, the body, taking the response). When it passes, the thread is interrupted: it is then
 * blocked on (or about to block on) the connection's socket channel, an interruptible channel, so
 * the interrupt closes the connection and the blocked read or write fails at once. Armed and
 * disarmed by the connection thread, fired by the timer thread; the monitor orders the two, so a
 * deadline disarmed in time never fires.
 */
final class RequestDeadline {
  private final Thread thread;
  private final ScheduledExecutorService timer;
  private final Consumer<String> onExpiry;
  private ScheduledFuture<?> pending;
  private String phase;
  private long generation;

  /**
   * @param thread the connection thread to interrupt
   * @param onExpiry told which phase ran out ({@code headers}, {@code body}, {@code response})
   */
  RequestDeadline(Thread thread, ScheduledExecutorService timer, Consumer<String> onExpiry) {
    this.thread = thread;
    this.timer = timer;
    this.onExpiry = onExpiry;
  }

  /** From now, {@code phase} may take {@code timeout}. */
  synchronized void arm(String newPhase, Duration timeout) {
    cancel();
    phase = newPhase;
    long armed = ++generation;
    pending = timer.schedule(() -> expire(armed), timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The thread no longer waits on the client (it handles the request, or is done). */
  synchronized void disarm() {
    cancel();
    generation++;
    phase = null;
  }

  private synchronized void expire(long armed) {
    if (armed != generation) {
      return;
    }
    generation++;
    onExpiry.accept(phase);
    thread.interrupt();
  }

  private void cancel() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }
}
