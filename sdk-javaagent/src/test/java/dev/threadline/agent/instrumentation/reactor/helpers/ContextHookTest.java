package dev.threadline.agent.instrumentation.reactor.helpers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.bootstrap.reactor.ReactorContexts;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The operator hook on real Reactor (no agent): signals delivered on scheduler threads run in the
 * subscription's context, taken from the Reactor context or from where the subscription was made,
 * and the threads are back in no context afterwards.
 */
class ContextHookTest {
  private static final ContextKey<String> REQUEST = ContextKey.named("request");

  @BeforeAll
  static void install() {
    reactor.core.publisher.Hooks.onEachOperator("context-hook-test", new ContextHook());
  }

  @AfterAll
  static void remove() {
    reactor.core.publisher.Hooks.resetOnEachOperator("context-hook-test");
  }

  @Test
  void theContextInTheReactorContextIsCurrentAfterAPublishOn() {
    String seen =
        Mono.fromSupplier(() -> "x")
            .publishOn(Schedulers.parallel())
            .map(x -> Context.current().get(REQUEST) + "@" + Thread.currentThread().getName())
            .contextWrite(
                reactor.util.context.Context.of(ReactorContexts.KEY, request("from-reactor")))
            .block(Duration.ofSeconds(5));
    assertThat(seen).startsWith("from-reactor@parallel-");
  }

  @Test
  void theContextCurrentAtSubscriptionIsCarriedAcrossSchedulers() {
    List<String> seen;
    try (Scope ignored = request("subscriber").makeCurrent()) {
      seen =
          Flux.range(0, 4)
              .flatMap(
                  i ->
                      Mono.fromSupplier(() -> i)
                          .publishOn(
                              i % 2 == 0 ? Schedulers.parallel() : Schedulers.boundedElastic())
                          .map(x -> String.valueOf(Context.current().get(REQUEST))))
              .collectList()
              .block(Duration.ofSeconds(5));
    }
    assertThat(seen).containsExactly("subscriber", "subscriber", "subscriber", "subscriber");
    assertThat(Context.current()).isSameAs(Context.root());
  }

  @Test
  void aSchedulerThreadIsInNoContextAfterARequestsSignal() {
    assertThat(
            Mono.fromSupplier(() -> "x")
                .publishOn(Schedulers.single())
                .map(x -> String.valueOf(Context.current().get(REQUEST)))
                .contextWrite(reactor.util.context.Context.of(ReactorContexts.KEY, request("r1")))
                .block(Duration.ofSeconds(5)))
        .isEqualTo("r1");
    // The same single thread, a subscription in no context.
    assertThat(
            Mono.fromSupplier(() -> "x")
                .publishOn(Schedulers.single())
                .map(x -> Context.current() == Context.root())
                .block(Duration.ofSeconds(5)))
        .isTrue();
  }

  @Test
  void fusedOperatorsAfterALiftedFuseablePublisherStillWork() {
    try (Scope ignored = request("fused").makeCurrent()) {
      assertThat(
              Flux.range(0, 3)
                  .map(i -> i + 1)
                  .filter(i -> i > 0)
                  .doOnNext(i -> assertThat(Context.current().get(REQUEST)).isEqualTo("fused"))
                  .collectList()
                  .block(Duration.ofSeconds(5)))
          .containsExactly(1, 2, 3);
    }
  }

  private static Context request(String name) {
    return Context.root().with(REQUEST, name);
  }
}
