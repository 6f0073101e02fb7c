package dev.threadline.bridge.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.node.store.StoreLimits;
import dev.threadline.bridge.node.store.TraceStore;
import dev.threadline.sdk.testing.Fuzzer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the correlator with random S spans ({@link Exchanges.S}): each input is a script of
 * exchanges between a few processes, ports and threads, with clashing sequence numbers, request
 * ids, stamps and trace headers (valid and not), A spans in the store, clock jumps and sweeps. No
 * script may throw; no S span settles with an ill-formed id; at most {@code maxWaiting} wait; and
 * after {@link Correlator#flush()} the correlator holds nothing of them.
 */
class CorrelatorFuzzTest {
  private static final int MAX_WAITING = 32;
  private static final String[] TRACES = {
    "4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c", "0".repeat(32), "zz"
  };

  /** Stamps come from the kernel's 16 bytes: always well-formed, possibly zero. */
  private static final String[] STAMP_TRACES = {TRACES[0], TRACES[1], TRACES[2]};

  private static final String[] SPANS = {"00f067aa0ba902b7", "b7ad6b7169203331", "0".repeat(16)};

  /**
   * Kept past their spans by design: minted trace ids (an LRU of 2^18, so that a late join still
   * knows which side moves), process names (an LRU of 4096), and the pids seen serving two requests
   * at once on one thread (one entry per process, not per span).
   */
  private static final Set<String> BOUNDED_BY_DESIGN =
      Set.of("StoreJoins.derived", "ProcessNames.names", "ThreadAdjacency.eventLoopPids");

  @Test
  void randomExchangesNeverBreakTheCorrelator() throws InterruptedException {
    Fuzzer.Result result =
        Fuzzer.named("correlator")
            .seed(new byte[64])
            .seed(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
            .maxLength(1024)
            .defaultInputs(20_000)
            .run(CorrelatorFuzzTest::script);
    assertThat(result.rejected()).isZero();
  }

  /** Reads choices from the input, then from the random source once it runs out. */
  private static final class Script {
    final byte[] input;
    final SplittableRandom random;
    int at;

    Script(byte[] input, SplittableRandom random) {
      this.input = input;
      this.random = random;
    }

    int next(int bound) {
      int value = at < input.length ? input[at++] & 0xff : random.nextInt(256);
      return value % bound;
    }

    <T> T pick(T[] values) {
      return values[next(values.length)];
    }
  }

  private static void script(byte[] input, SplittableRandom random) throws Exception {
    Script s = new Script(input, random);
    AtomicLong now = new AtomicLong(1_000);
    List<SpanRecord> settled = new ArrayList<>();
    TraceStore store = TraceStore.create(StoreLimits.defaults());
    Correlator correlator =
        Correlator.builder(store, CorrelatorMetrics.register(new SimpleMeterRegistry()))
            .clock(now::get)
            .joinWindow(Duration.ofSeconds(1 + s.next(10)))
            .maxWaiting(MAX_WAITING)
            .proc(Path.of("/nonexistent-proc"))
            .onSettled(settled::addAll)
            .build();
    int accepted = 0;
    for (int steps = 4 + s.next(60); steps > 0; steps--) {
      switch (s.next(8)) {
        case 0:
          now.addAndGet(s.next(4) == 0 ? 20_000 : s.next(1500));
          break;
        case 1:
          correlator.sweep();
          break;
        case 2:
          store.add(
              List.of(
                  Exchanges.a(
                      s.pick(TRACES),
                      s.pick(SPANS),
                      s.next(2) == 0 ? "" : s.pick(SPANS),
                      s.next(2) == 0 ? "SERVER" : "CLIENT",
                      "svc",
                      1_000_000_000L + s.next(64) * 1_000_000L,
                      1_000_000_000L + s.next(64) * 2_000_000L)));
          break;
        default:
          correlator.accept(span(s).build());
          accepted++;
          assertThat(correlator.waiting()).isLessThanOrEqualTo(MAX_WAITING);
      }
    }
    correlator.flush();
    assertThat(correlator.waiting()).isZero();
    assertThat(settled.size()).isLessThanOrEqualTo(accepted);
    // (The same exchange accepted again after it settled settles again, under the same span id;
    // the store keeps one. So ids may repeat across batches, never within the waiting set.)
    for (SpanRecord record : settled) {
      assertThat(record.spanId()).matches("[0-9a-f]{16}");
      assertThat(record.traceId()).matches("[0-9a-f]{32}");
      assertThat(record.parentSpanId()).matches("([0-9a-f]{16})?");
    }
    assertEmpty(correlator, 0);
  }

  private static Exchanges.S span(Script s) {
    Exchanges.S span = s.next(2) == 0 ? Exchanges.S.client() : Exchanges.S.server();
    int[] ports = {80, 8080, 40000, 40001};
    long start = 1_000_000_000L + s.next(64) * 1_000_000L;
    span.pid(100 + s.next(4))
        .ends(ports[s.next(4)], ports[s.next(4)])
        .time(start, start + s.next(3) * 5_000_000L - (s.next(16) == 0 ? 10_000_000L : 0))
        .seq(1000L * s.next(4))
        .request(
            s.pick(new String[] {"GET", "POST", "HEAD"}), s.pick(new String[] {"/", "/a?token=x"}));
    if (s.next(3) == 0) {
      span.tid(100 + s.next(6));
    }
    switch (s.next(6)) {
      case 0:
        span.header("traceparent", "00-" + s.pick(TRACES) + "-" + s.pick(SPANS) + "-01");
        break;
      case 1:
        span.header("x-request-id", "r" + s.next(3));
        break;
      case 2:
        span.header("b3", s.pick(TRACES) + "-" + s.pick(SPANS) + "-1");
        break;
      case 3:
        span.header("uber-trace-id", s.pick(TRACES) + ":" + s.pick(SPANS) + ":0:1");
        break;
      default:
        break;
    }
    if (s.next(3) == 0) {
      span.requestStamp(s.pick(STAMP_TRACES), s.pick(SPANS));
    }
    if (s.next(3) == 0) {
      span.responseStamp(s.pick(STAMP_TRACES), s.pick(SPANS));
    }
    if (s.next(8) == 0) {
      span.l4();
    }
    return span;
  }

  /**
   * Every map and collection the correlator (and the correlate-package objects it holds) keeps is
   * empty once all its S spans settled: nothing of a settled span is retained.
   */
  private static void assertEmpty(Object holder, int depth) throws IllegalAccessException {
    for (Class<?> type = holder.getClass(); type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        if (BOUNDED_BY_DESIGN.contains(type.getSimpleName() + "." + field.getName())) {
          continue;
        }
        field.setAccessible(true);
        Object value = field.get(holder);
        if (value instanceof Map) {
          assertThat((Map<?, ?>) value)
              .as("%s.%s", type.getSimpleName(), field.getName())
              .isEmpty();
        } else if (value instanceof Collection) {
          assertThat((Collection<?>) value)
              .as("%s.%s", type.getSimpleName(), field.getName())
              .isEmpty();
        } else if (value != null
            && depth < 1
            && value.getClass().getPackageName().equals(Correlator.class.getPackageName())
            && !value.getClass().isHidden() // the test's own onSettled sink
            && !(value instanceof CorrelatorMetrics)) {
          assertEmpty(value, depth + 1);
        }
      }
    }
  }
}
