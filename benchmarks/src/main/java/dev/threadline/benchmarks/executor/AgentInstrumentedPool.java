package dev.threadline.benchmarks.executor;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import dev.threadline.agent.bootstrap.executors.WorkerTasks;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A one-thread pool that makes the calls the agent's advice weaves into {@code ThreadPoolExecutor}
 * ({@code ExecuteAdvice}, {@code BeforeExecuteAdvice}, {@code AfterExecuteAdvice}), so that the
 * agent's hand-off path runs here without an agent attached to the benchmark's JVM.
 */
final class AgentInstrumentedPool extends ThreadPoolExecutor {

  AgentInstrumentedPool() {
    super(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
  }

  @Override
  public void execute(Runnable task) {
    Runnable submitted =
        TaskContexts.isServerOrPoolInternal(this) ? task : TaskContexts.captureOrWrap(task);
    try {
      super.execute(submitted);
    } catch (RuntimeException rejected) {
      TaskContexts.forget(submitted);
      throw rejected;
    }
  }

  @Override
  protected void beforeExecute(Thread worker, Runnable task) {
    WorkerTasks.begin(task);
  }

  @Override
  protected void afterExecute(Runnable task, Throwable thrown) {
    WorkerTasks.end(task);
  }
}
