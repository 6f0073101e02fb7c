package dev.threadline.sdk.context;

import java.util.concurrent.Executor;

/** An {@link Executor} that runs each task in the context current when it was submitted. */
final class ContextExecutor implements Executor {

  private final Executor delegate;

  ContextExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable command) {
    delegate.execute(ContextExecutors.capture(command));
  }

  @Override
  public String toString() {
    return "ContextExecutor{" + delegate + '}';
  }
}
