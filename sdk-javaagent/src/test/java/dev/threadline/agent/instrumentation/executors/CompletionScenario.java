package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.ContextProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Each of {@link #REQUESTS} requests registers every kind of CompletableFuture stage on two futures
 * that another thread completes later, plus one stage on a future that never completes. Run with no
 * garbage collection (the test starts it on Epsilon): what the agent still holds afterwards is what
 * it forgot to forget, not what a collection happened to clear.
 */
public final class CompletionScenario {
  static final int REQUESTS = 200;

  private CompletionScenario() {}

  public static void main(String[] args) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    AtomicInteger inContext = new AtomicInteger();
    AtomicInteger stages = new AtomicInteger();
    List<CompletableFuture<?>> never = new ArrayList<>();
    try (Handoffs h = new Handoffs()) {
      int before = ContextProbe.pendingTasks();
      for (int r = 0; r < REQUESTS; r++) {
        CompletableFuture<Integer> first = new CompletableFuture<>();
        CompletableFuture<Integer> second = new CompletableFuture<>();
        List<CompletableFuture<?>> dependents = new ArrayList<>();
        h.request(
            "completion-" + r,
            () -> {
              Object mine = ContextProbe.current();
              Supplier<Integer> check =
                  () -> {
                    if (ContextProbe.current() == mine) {
                      inContext.incrementAndGet();
                    }
                    return 1;
                  };
              dependents.add(first.thenApply(v -> check.get()));
              dependents.add(first.thenAccept(v -> check.get()));
              dependents.add(first.thenRun(check::get));
              dependents.add(first.whenComplete((v, e) -> check.get()));
              dependents.add(first.handle((v, e) -> check.get()));
              dependents.add(
                  first.thenCompose(v -> CompletableFuture.completedFuture(check.get())));
              dependents.add(first.thenCombine(second, (a, b) -> check.get()));
              dependents.add(first.thenAcceptBoth(second, (a, b) -> check.get()));
              dependents.add(first.runAfterBoth(second, check::get));
              dependents.add(first.applyToEither(second, v -> check.get()));
              dependents.add(first.acceptEither(second, v -> check.get()));
              dependents.add(first.runAfterEither(second, check::get));
              dependents.add(first.thenApplyAsync(v -> check.get(), pool));
              dependents.add(CompletableFuture.anyOf(first, second).thenApply(v -> check.get()));
              dependents.add(CompletableFuture.allOf(first, second).thenApply(v -> check.get()));
              stages.addAndGet(15);
              never.add(new CompletableFuture<Integer>().thenApply(v -> check.get()));
            });
        // Completed outside the request, on another thread: the stages must still run in theirs.
        Thread completer =
            new Thread(
                () -> {
                  first.complete(1);
                  second.complete(2);
                });
        completer.start();
        completer.join();
        for (CompletableFuture<?> dependent : dependents) {
          dependent.get(20, TimeUnit.SECONDS);
        }
      }
      System.out.println("completion ran-in-context=" + inContext.get() + "/" + stages.get());
      System.out.println(
          "completion pending-added="
              + (ContextProbe.pendingTasks() - before)
              + " never-fired="
              + never.size());
    } finally {
      pool.shutdownNow();
    }
    System.out.println("scenario done");
  }
}
