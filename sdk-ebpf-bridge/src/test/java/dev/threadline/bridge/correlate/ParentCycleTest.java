package dev.threadline.bridge.correlate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.node.store.StoreLimits;
import dev.threadline.bridge.node.store.TraceStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A sender may export A spans whose parents form a cycle; a stamp naming one of them must not make
 * the correlator walk the cycle forever (found by {@link CorrelatorFuzzTest}).
 */
class ParentCycleTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String X = "00f067aa0ba902b7";
  private static final String Y = "b7ad6b7169203331";

  @Test
  void aStampOnASpanThatIsItsOwnParentSettles() {
    settles(List.of(Exchanges.a(TRACE, X, X, "CLIENT", "svc", 1_000_000_000L, 1_020_000_000L)));
  }

  @Test
  void aStampOnATwoSpanParentCycleSettles() {
    settles(
        List.of(
            Exchanges.a(TRACE, X, Y, "CLIENT", "svc", 1_000_000_000L, 1_020_000_000L),
            Exchanges.a(TRACE, Y, X, "INTERNAL", "svc", 1_000_000_000L, 1_020_000_000L)));
  }

  private static void settles(List<SpanRecord> cycle) {
    TraceStore store = TraceStore.create(StoreLimits.defaults());
    store.add(cycle);
    List<SpanRecord> settled = new ArrayList<>();
    Correlator correlator =
        Correlator.builder(store, CorrelatorMetrics.register(new SimpleMeterRegistry()))
            .clock(() -> 1_000)
            .proc(Path.of("/nonexistent-proc"))
            .onSettled(settled::addAll)
            .build();
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          correlator.accept(Exchanges.S.server().responseStamp(TRACE, X).build());
          correlator.flush();
        });
    assertThat(settled).hasSize(1);
  }
}
