package dev.threadline.agent.bootstrap.executors;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // try (Scope ignored = ...) is the idiom
class ThreadStartsTest {
  private final Context request =
      Context.root()
          .with(
              Span.wrap(
                  SpanContext.create(
                      "4bf92f3577b34da6a3ce929d0e0e4736",
                      "00f067aa0ba902b7",
                      TraceFlags.getSampled(),
                      TraceState.getDefault())));

  @Test
  void aThreadTheApplicationStartsInheritsTheContext() {
    Thread thread = new Thread(() -> {});
    try (Scope ignored = request.makeCurrent()) {
      ThreadStarts.capture(thread);
    }
    Object previous = TaskContexts.attachOnce(thread);
    assertThat(Context.current()).isSameAs(request);
    TaskContexts.restore(previous);
  }

  @Test
  void nothingIsCapturedAtTheRoot() {
    Thread thread = new Thread(() -> {});
    ThreadStarts.capture(thread);
    assertThat(TaskContexts.attachOnce(thread)).isNull();
  }

  @Test
  void forkJoinWorkersAndPoolWorkersInheritNothing() {
    Thread forkJoinWorker = new ForkJoinWorkerThread(ForkJoinPool.commonPool()) {};
    Thread worker = new Thread(() -> {});
    try (Scope ignored = request.makeCurrent()) {
      ThreadStarts.capture(forkJoinWorker);
      WorkerTasks.enterPoolInternals();
      try {
        ThreadStarts.capture(worker);
      } finally {
        WorkerTasks.exitPoolInternals();
      }
    }
    assertThat(TaskContexts.attachOnce(forkJoinWorker)).isNull();
    assertThat(TaskContexts.attachOnce(worker)).isNull();
  }

  @Test
  void theClassThatCallsStartDecides() {
    Thread byApplication = new Thread(() -> {});
    Thread byJdk = new Thread(() -> {});
    Thread passedOn = new Thread(() -> {});
    try (Scope ignored = request.makeCurrent()) {
      assertThat(ThreadStarts.mayInherit(byApplication)).isTrue();
      ThreadStarts.capture(byApplication, org.assertj.core.api.Assertions.class);
      ThreadStarts.capture(byJdk, java.util.Timer.class);
      // Thread itself passes the call on: the walk finds this test's caller, no framework.
      ThreadStarts.capture(passedOn, Thread.class);
    }
    assertThat(ThreadStarts.mayInherit(byApplication)).isFalse(); // at the root
    Object previous = TaskContexts.attachOnce(byApplication);
    assertThat(Context.current()).isSameAs(request);
    TaskContexts.restore(previous);
    assertThat(TaskContexts.attachOnce(byJdk)).isNull();
    previous = TaskContexts.attachOnce(passedOn);
    assertThat(previous).isNotNull();
    TaskContexts.restore(previous);
  }

  @Test
  void frameworksAreToldByTheirPackages() {
    assertThat(ThreadStarts.isFramework("java.util.TimerThread")).isTrue();
    assertThat(ThreadStarts.isFramework("org.apache.tomcat.util.threads.TaskThread")).isTrue();
    assertThat(ThreadStarts.isFramework("io.netty.util.concurrent.FastThreadLocalThread")).isTrue();
    assertThat(ThreadStarts.isFramework("com.zaxxer.hikari.pool.HikariPool")).isTrue();
    assertThat(ThreadStarts.isFramework("com.example.orders.Refresher")).isFalse();
    assertThat(ThreadStarts.isFramework("org.springframework.core.task.SimpleAsyncTaskExecutor"))
        .isFalse();
  }
}
