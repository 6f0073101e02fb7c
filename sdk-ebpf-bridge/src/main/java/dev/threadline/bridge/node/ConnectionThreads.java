package dev.threadline.bridge.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor the JDK server runs each request on, from its first byte to its last response byte:
 * one thread per connection being served, at most {@link ConnectionLimits#maxConnections()} of
 * them. The JDK server reads a request's headers on this thread (blocking), and {@link
 * BufferingHandler} its body and its response, each under a {@link RequestDeadline} of {@link
 * ConnectionLimits#readTimeout()}; the work between runs on the node's handler threads.
 *
 * <p>A request that arrives while every connection thread is taken is refused: the JDK server
 * closes its connection at once (it catches the rejection), and it is counted in {@code
 * threadline.node.connections.refused}. Idle keep-alive connections take no thread and do not
 * count; the JDK server closes them after its idle interval (30 s).
 */
final class ConnectionThreads implements Executor, AutoCloseable {
  private static final ThreadLocal<RequestDeadline> CURRENT = new ThreadLocal<>();

  /** How long a request waits for a connection thread that is finishing, before it is refused. */
  static final long HANDOFF_GRACE_MS = 20;

  private final ThreadPoolExecutor pool;
  private final ScheduledThreadPoolExecutor timer;
  private final Duration readTimeout;
  private final Counter refused;
  private final MeterRegistry registry;

  ConnectionThreads(ConnectionLimits limits, MeterRegistry registry) {
    this.readTimeout = limits.readTimeout();
    this.registry = registry;
    refused =
        Counter.builder("threadline.node.connections.refused")
            .description("Connections closed at once: --max-connections were being served")
            .register(registry);
    AtomicInteger number = new AtomicInteger();
    pool =
        new ThreadPoolExecutor(
            0,
            limits.maxConnections(),
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            runnable -> daemon(runnable, "threadline-node-http-conn-" + number.incrementAndGet()),
            (task, executor) -> {
              // A thread that has just finished a request is not yet waiting for the next one:
              // give it a moment to take this one before calling the node full.
              try {
                if (!executor.isShutdown()
                    && executor.getQueue().offer(task, HANDOFF_GRACE_MS, TimeUnit.MILLISECONDS)) {
                  return;
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              if (!executor.isShutdown()) {
                refused.increment();
              }
              throw new RejectedExecutionException("every connection thread is serving a request");
            });
    timer =
        new ScheduledThreadPoolExecutor(1, runnable -> daemon(runnable, "threadline-node-timer"));
    timer.setRemoveOnCancelPolicy(true);
    Gauge.builder("threadline.node.connections.active", pool, ThreadPoolExecutor::getActiveCount)
        .description("Connections being served (reading a request, handling or answering it)")
        .register(registry);
  }

  /** The deadline of the request the calling connection thread serves. */
  static RequestDeadline current() {
    RequestDeadline deadline = CURRENT.get();
    if (deadline == null) {
      throw new IllegalStateException("not on a connection thread");
    }
    return deadline;
  }

  /** How long each part of a request may take. */
  Duration readTimeout() {
    return readTimeout;
  }

  /** Runs one request of the JDK server (it reads the headers first) under a fresh deadline. */
  @Override
  public void execute(Runnable exchange) {
    pool.execute(
        () -> {
          RequestDeadline deadline =
              new RequestDeadline(Thread.currentThread(), timer, this::timedOut);
          CURRENT.set(deadline);
          deadline.arm("headers", readTimeout);
          try {
            exchange.run();
          } finally {
            deadline.disarm();
            CURRENT.remove();
            // An interrupt that closed the connection must not outlive it on this pool thread.
            Thread.interrupted();
          }
        });
  }

  private void timedOut(String phase) {
    Counter.builder("threadline.node.connections.timed_out")
        .tag("phase", phase)
        .description("Connections closed because the client took longer than --read-timeout")
        .register(registry)
        .increment();
  }

  /** Interrupts every connection thread and stops the timer. */
  @Override
  public void close() {
    pool.shutdownNow();
    timer.shutdownNow();
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
