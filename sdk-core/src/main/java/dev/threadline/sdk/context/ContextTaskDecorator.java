package dev.threadline.sdk.context;

import org.springframework.core.task.TaskDecorator;

/**
 * A Spring {@link TaskDecorator} that runs every task in the context of the code that submitted it,
 * for applications using the library without the agent:
 *
 * <pre>{@code
 * ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
 * executor.setTaskDecorator(new ContextTaskDecorator());
 * }</pre>
 *
 * <p>It also serves {@code @Async} methods (their executor's decorator applies) and {@code
 * SimpleAsyncTaskExecutor}. Same rules as {@link ContextExecutors#wrap(Runnable)}: nothing is
 * captured when no span is active, a task is never wrapped twice, and the worker returns to its own
 * context afterwards. Spring is an optional dependency of Threadline: this class is the only one
 * that needs it.
 */
public final class ContextTaskDecorator implements TaskDecorator {

  @Override
  public Runnable decorate(Runnable runnable) {
    return ContextExecutors.wrap(runnable);
  }
}
