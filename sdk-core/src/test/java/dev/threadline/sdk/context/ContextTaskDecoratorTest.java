package dev.threadline.sdk.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // try (Scope ignored = ...) is the idiom
class ContextTaskDecoratorTest {
  private final ExecutorService pool = Executors.newSingleThreadExecutor();
  private final ContextTaskDecorator decorator = new ContextTaskDecorator();

  @AfterEach
  void shutDown() {
    pool.shutdownNow();
  }

  @Test
  void decoratedTaskRunsInTheSubmittersContextAndTheWorkerReturnsToRoot() throws Exception {
    Context request = TestContexts.withSpan("c3");
    AtomicReference<Context> seen = new AtomicReference<>();
    Runnable decorated;
    try (Scope ignored = request.makeCurrent()) {
      decorated = decorator.decorate(() -> seen.set(Context.current()));
    }
    pool.submit(decorated).get(10, TimeUnit.SECONDS);
    assertThat(TestContexts.spanId(seen.get())).isEqualTo(TestContexts.spanId(request));
    assertThat(pool.submit(() -> Context.current() == Context.root()).get(10, TimeUnit.SECONDS))
        .isTrue();
  }

  @Test
  void withoutASpanOrWhenAlreadyDecoratedTheTaskIsReturnedAsIs() {
    Runnable task = () -> {};
    assertThat(decorator.decorate(task)).isSameAs(task);
    try (Scope ignored = TestContexts.withSpan("d4").makeCurrent()) {
      Runnable once = decorator.decorate(task);
      assertThat(once).isNotSameAs(task);
      assertThat(decorator.decorate(once)).isSameAs(once);
    }
  }
}
