package dev.threadline.agent.bootstrap.executors;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // try (Scope ignored = ...) is the idiom
class TaskContextsTest {
  private static final ContextKey<String> KEY = ContextKey.named("task-contexts-test");

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
  void nothingIsCapturedOrWrappedWithoutAContext() {
    Object task = new Object();
    TaskContexts.capture(task);
    assertThat(TaskContexts.attachOnce(task)).isNull();
    Runnable runnable = () -> {};
    assertThat(TaskContexts.wrap(runnable)).isSameAs(runnable);
  }

  @Test
  void aCapturedContextIsUsedOnceAndTheThreadIsRestored() {
    Object task = new Object();
    try (Scope ignored = request.makeCurrent()) {
      TaskContexts.capture(task);
    }
    Object previous = TaskContexts.attachOnce(task);
    assertThat(Context.current()).isSameAs(request);
    TaskContexts.restore(previous);
    assertThat(Context.current()).isSameAs(Context.root());
    assertThat(TaskContexts.attachOnce(task)).as("used once").isNull();
  }

  @Test
  void aScopeLeakedByTheTaskDoesNotOutliveIt() {
    Runnable leaky;
    try (Scope ignored = request.makeCurrent()) {
      Runnable leaksAScope = () -> Context.root().with(Span.getInvalid()).makeCurrent();
      leaky = TaskContexts.wrap(leaksAScope);
    }
    leaky.run();
    assertThat(Context.current()).isSameAs(Context.root());
  }

  @Test
  void aWrappedTaskIsNeverWrappedAgain() throws Exception {
    AtomicReference<Context> seen = new AtomicReference<>();
    try (Scope ignored = request.makeCurrent()) {
      Runnable once = TaskContexts.wrap(() -> seen.set(Context.current()));
      assertThat(TaskContexts.wrap(once)).isSameAs(once);
      Callable<Context> callable = TaskContexts.wrap(Context::current);
      assertThat(TaskContexts.wrap(callable)).isSameAs(callable);
      Object task = once;
      TaskContexts.capture(task);
      assertThat(TaskContexts.pending()).as("a wrapper is not captured again").isZero();
      once.run();
    }
    assertThat(seen.get()).isSameAs(request);
  }

  @Test
  void theSameTaskObjectSubmittedTwiceKeepsBothContexts() {
    Context other =
        Context.root()
            .with(
                Span.wrap(
                    SpanContext.create(
                        "4bf92f3577b34da6a3ce929d0e0e4737",
                        "00f067aa0ba902b8",
                        TraceFlags.getSampled(),
                        TraceState.getDefault())));
    AtomicReference<Context> seen = new AtomicReference<>();
    Runnable shared = () -> seen.set(Context.current());
    Runnable first;
    Runnable second;
    try (Scope ignored = request.makeCurrent()) {
      first = TaskContexts.captureOrWrap(shared);
    }
    try (Scope ignored = other.makeCurrent()) {
      second = TaskContexts.captureOrWrap(shared);
    }
    assertThat(first).as("the first submission stays the application's object").isSameAs(shared);
    assertThat(second).as("the second, while the first waits, is wrapped").isNotSameAs(shared);
    second.run();
    assertThat(seen.get()).isSameAs(other);
    Object previous = TaskContexts.attachOnce(first);
    first.run();
    TaskContexts.restore(previous);
    assertThat(seen.get()).isSameAs(request);
  }

  @Test
  void workerHooksAttachBetweenBeforeAndAfterExecute() {
    Runnable task = () -> {};
    try (Scope ignored = request.makeCurrent()) {
      TaskContexts.capture(task);
    }
    WorkerTasks.begin(task);
    WorkerTasks.begin(task); // an override calling super: the second finds nothing left
    assertThat(Context.current()).isSameAs(request);
    WorkerTasks.end(task);
    assertThat(Context.current()).isSameAs(Context.root());
    WorkerTasks.end(task);
    assertThat(Context.current()).isSameAs(Context.root());
  }

  @Test
  void aWorkerRunsTaskAfterTaskAndTaskWithinTaskEachInItsOwnContext() {
    Context other = request.with(KEY, "other");
    Runnable first = () -> {};
    Runnable second = () -> {};
    Runnable inner = () -> {};
    try (Scope ignored = request.makeCurrent()) {
      TaskContexts.capture(first);
      TaskContexts.capture(second);
    }
    try (Scope ignored = other.makeCurrent()) {
      TaskContexts.capture(inner);
    }
    WorkerTasks.begin(first);
    assertThat(Context.current()).isSameAs(request);
    WorkerTasks.end(first);
    assertThat(Context.current()).isSameAs(Context.root());

    WorkerTasks.begin(second);
    WorkerTasks.begin(inner); // a task run by a worker loop inside another task
    assertThat(Context.current()).isSameAs(other);
    WorkerTasks.end(first); // not the running task: ignored
    assertThat(Context.current()).isSameAs(other);
    WorkerTasks.end(inner);
    assertThat(Context.current()).isSameAs(request);
    WorkerTasks.end(second);
    assertThat(Context.current()).isSameAs(Context.root());
  }
}
