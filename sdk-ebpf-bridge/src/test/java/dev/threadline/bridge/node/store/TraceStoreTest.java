package dev.threadline.bridge.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TraceStoreTest {
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final AtomicLong evictedByListener = new AtomicLong();

  private TraceStore store(long maxBytes, Duration maxAge, int maxSpansPerTrace) {
    return new TraceStore(
        new StoreLimits(maxBytes, maxAge, maxSpansPerTrace),
        clock::get,
        evictedByListener::addAndGet);
  }

  private static String traceId(int n) {
    return String.format("%032x", n + 1);
  }

  private static String spanId(int n) {
    return String.format("%016x", n + 1);
  }

  private static SpanRecord span(
      String traceId,
      String spanId,
      String parent,
      String name,
      String service,
      long startMs,
      long durationMs,
      boolean error,
      Attribute... attributes) {
    long start = startMs * 1_000_000;
    return new SpanRecord(
        traceId,
        spanId,
        parent,
        name,
        parent.isEmpty() ? "SERVER" : "INTERNAL",
        start,
        start + durationMs * 1_000_000,
        service,
        "test",
        error ? "ERROR" : "UNSET",
        "",
        Origin.A,
        List.of(attributes),
        List.of(Attribute.ofString("service.name", service)),
        List.of());
  }

  @Test
  void groupsSpansByTraceAndSummarisesTheRoot() {
    TraceStore store = store(1 << 20, Duration.ofHours(1), 100);
    String trace = traceId(1);
    store.add(
        List.of(
            span(trace, spanId(2), spanId(1), "SELECT", "orders", 1_005, 10, true),
            span(
                trace,
                spanId(1),
                "",
                "GET /orders/{id}",
                "orders",
                1_000,
                50,
                false,
                Attribute.ofString("http.request.method", "GET"),
                Attribute.ofString("http.route", "/orders/{id}"))));

    TraceSnapshot snapshot = store.get(trace).orElseThrow();
    assertThat(snapshot.spans())
        .extracting(view -> view.record().name())
        .containsExactly("GET /orders/{id}", "SELECT");
    TraceSummary summary = snapshot.summary();
    assertThat(summary.rootEndpoint()).isEqualTo("GET /orders/{id}");
    assertThat(summary.durationNanos()).isEqualTo(50_000_000);
    assertThat(summary.spanCount()).isEqualTo(2);
    assertThat(summary.errorCount()).isEqualTo(1);
    assertThat(store.get(traceId(9))).isEmpty();
  }

  @Test
  void queriesByEveryIndexNewestFirst() {
    TraceStore store = store(1 << 22, Duration.ofHours(1), 100);
    for (int i = 0; i < 20; i++) {
      String service = i % 2 == 0 ? "orders" : "payments";
      store.add(
          List.of(
              span(
                  traceId(i),
                  spanId(0),
                  "",
                  "op" + (i % 3),
                  service,
                  1_000 + i * 100L,
                  i,
                  i == 7)));
    }
    assertThat(store.query(TraceQuery.all(5)))
        .extracting(TraceSummary::traceId)
        .containsExactly(traceId(19), traceId(18), traceId(17), traceId(16), traceId(15));
    assertThat(store.query(new TraceQuery("payments", null, false, 0, 0, 0, 100)))
        .hasSize(10)
        .allMatch(s -> s.rootService().equals("payments"));
    assertThat(store.query(new TraceQuery(null, "op1", false, 0, 0, 0, 100)))
        .extracting(TraceSummary::traceId)
        .containsExactly(
            traceId(19), traceId(16), traceId(13), traceId(10), traceId(7), traceId(4), traceId(1));
    assertThat(store.query(new TraceQuery(null, null, true, 0, 0, 0, 100)))
        .extracting(TraceSummary::traceId)
        .containsExactly(traceId(7));
    assertThat(store.query(new TraceQuery(null, null, false, 15_000_000, 0, 0, 100)))
        .extracting(TraceSummary::traceId)
        .containsExactly(traceId(19), traceId(18), traceId(17), traceId(16), traceId(15));
    assertThat(store.query(new TraceQuery("orders", null, false, 10_000_000, 0, 0, 100)))
        .extracting(TraceSummary::traceId)
        .containsExactly(traceId(18), traceId(16), traceId(14), traceId(12), traceId(10));
    assertThat(
            store.query(new TraceQuery(null, null, false, 0, 1_500_000_000L, 1_800_000_000L, 100)))
        .extracting(TraceSummary::traceId)
        .containsExactly(traceId(7), traceId(6), traceId(5));
    assertThat(store.services()).containsExactly("orders", "payments");
  }

  @Test
  void evictsOldestTracesFirstToStayWithinBytes() {
    SpanRecord sample = span(traceId(0), spanId(0), "", "op", "svc", 1_000, 1, false);
    long perTrace = sample.estimatedBytes() + StoredTrace.OVERHEAD_BYTES;
    TraceStore store = store(perTrace * 10, Duration.ofHours(1), 100);
    long empty = StoreHeap.bytes(store);
    for (int i = 0; i < 25; i++) {
      store.add(List.of(span(traceId(i), spanId(0), "", "op", "svc", 1_000 + i, 1, false)));
      assertThat(store.bytes()).isLessThanOrEqualTo(perTrace * 10);
      // Measured on the heap, not estimated: the traces held really fit in the bytes allowed.
      assertThat(StoreHeap.bytes(store) - empty)
          .as("heap bytes after trace %d", i)
          .isLessThanOrEqualTo(perTrace * 10);
    }
    assertThat(store.traceCount()).isEqualTo(10);
    assertThat(store.evictedTraces()).isEqualTo(15);
    assertThat(store.evictedSpans()).isEqualTo(15);
    assertThat(evictedByListener.get()).isEqualTo(15);
    assertThat(store.get(traceId(14))).isEmpty();
    assertThat(store.get(traceId(15))).isPresent();
    // The indexes forget evicted traces too.
    assertThat(store.query(new TraceQuery("svc", null, false, 0, 0, 0, 1000))).hasSize(10);
  }

  @Test
  void whatTheStoreHoldsOnTheHeapStaysWithinItsBytes() {
    long maxBytes = 64 * 1024;
    TraceStore store = store(maxBytes, Duration.ofHours(1), 100);
    long empty = StoreHeap.bytes(store);
    for (int i = 0; i < 300; i++) {
      List<SpanRecord> spans = new ArrayList<>();
      spans.add(span(traceId(i), spanId(0), "", "GET /orders/{id}", "orders", 1_000 + i, 5, false));
      for (int child = 1; child <= i % 4; child++) {
        spans.add(
            span(
                traceId(i),
                spanId(child),
                spanId(0),
                "SELECT shop.orders",
                "orders",
                1_001 + i,
                1,
                child == 3,
                Attribute.ofString("db.system", "mariadb"),
                Attribute.ofString("db.query.text", "select * from orders where id = ?")));
      }
      store.add(spans);
      assertThat(StoreHeap.bytes(store) - empty)
          .as("heap bytes after trace %d", i)
          .isLessThanOrEqualTo(maxBytes);
    }
    assertThat(store.evictedTraces()).isPositive();
  }

  @Test
  void evictsTracesOlderThanTheMaxAge() {
    TraceStore store = store(1 << 20, Duration.ofMinutes(10), 100);
    store.add(List.of(span(traceId(1), spanId(0), "", "old", "svc", 1_000, 1, false)));
    clock.addAndGet(Duration.ofMinutes(6).toMillis());
    store.add(List.of(span(traceId(2), spanId(0), "", "newer", "svc", 2_000, 1, false)));
    clock.addAndGet(Duration.ofMinutes(5).toMillis());
    assertThat(store.query(TraceQuery.all(10)))
        .extracting(TraceSummary::rootName)
        .containsExactly("newer");
    assertThat(store.evictedTraces()).isEqualTo(1);
  }

  @Test
  void rejectsSpansBeyondTheLimitPerTraceAndReplacesResentSpans() {
    TraceStore store = store(1 << 22, Duration.ofHours(1), 3);
    List<SpanRecord> spans = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      spans.add(
          span(
              traceId(1), spanId(i), i == 0 ? "" : spanId(0), "s" + i, "svc", 1_000 + i, 1, false));
    }
    assertThat(store.add(spans)).isEqualTo(new TraceStore.AddResult(3, 0, 2));
    assertThat(store.spanCount()).isEqualTo(3);
    long bytes = store.bytes();
    // The same span again (an exporter retry) replaces the first copy: a duplicate, even in a full
    // trace, never a rejection.
    assertThat(store.add(List.of(spans.get(1)))).isEqualTo(new TraceStore.AddResult(0, 1, 0));
    assertThat(store.bytes()).isEqualTo(bytes);
    assertThat(store.spanCount()).isEqualTo(3);
    // Twice in one request: stored once, then a duplicate.
    SpanRecord fresh = span(traceId(2), spanId(0), "", "t2", "svc", 2_000, 1, false);
    assertThat(store.add(List.of(fresh, fresh))).isEqualTo(new TraceStore.AddResult(1, 1, 0));
    assertThat(store.spanCount()).isEqualTo(4);
  }

  @Test
  void reparentsASpanKeepingWhatItsSenderSaid() {
    TraceStore store = store(1 << 20, Duration.ofHours(1), 100);
    String trace = traceId(1);
    store.add(
        List.of(
            span(trace, spanId(1), "", "kong", "kong", 1_000, 50, false),
            span(trace, spanId(2), "", "GET /orders", "orders", 1_010, 30, false)));
    assertThat(store.get(trace).orElseThrow().summary().rootName()).isEqualTo("kong");

    // An S span joins the two: the backend's root becomes its child.
    SpanRecord system =
        new SpanRecord(
            trace,
            spanId(3),
            spanId(1),
            "HTTP GET",
            "CLIENT",
            1_005_000_000L,
            1_045_000_000L,
            "kong",
            "threadline.ebpf",
            "UNSET",
            "",
            Origin.S,
            List.of(),
            List.of(),
            List.of());
    store.add(List.of(system));
    assertThat(store.reparent(trace, spanId(2), spanId(3))).isTrue();

    SpanView orders =
        store.get(trace).orElseThrow().spans().stream()
            .filter(view -> view.record().spanId().equals(spanId(2)))
            .findFirst()
            .orElseThrow();
    assertThat(orders.parentSpanId()).isEqualTo(spanId(3));
    assertThat(orders.record().parentSpanId()).isEmpty();
    assertThat(orders.reparented()).isTrue();
    assertThat(store.reparent(trace, spanId(9), spanId(3))).isFalse();
    assertThat(store.reparent(traceId(7), spanId(2), spanId(3))).isFalse();
  }

  @Test
  void mergesOneTraceIntoAnotherAndRoutesLaterSpansThere() {
    TraceStore store = store(1 << 20, Duration.ofHours(1), 100);
    String app = traceId(1);
    String kernel = traceId(2);
    store.add(List.of(span(app, spanId(1), "", "GET /orders", "orders", 1_000, 50, false)));
    store.add(List.of(span(kernel, spanId(2), "", "read", "orders", 990, 70, false)));
    assertThat(store.merge(kernel, app)).isTrue();

    assertThat(store.traceCount()).isEqualTo(1);
    assertThat(store.get(kernel).orElseThrow().summary().traceId()).isEqualTo(app);
    store.add(List.of(span(kernel, spanId(3), spanId(2), "write", "orders", 1_040, 5, false)));
    TraceSnapshot merged = store.get(app).orElseThrow();
    assertThat(merged.spans()).hasSize(3);
    assertThat(merged.summary().durationNanos()).isEqualTo(70_000_000);
    assertThat(store.query(TraceQuery.all(10)))
        .extracting(TraceSummary::traceId)
        .containsExactly(app);
    assertThat(store.merge(kernel, app)).isFalse();
  }

  @Test
  void aMergedTraceKeepsItsSpansTraceIdsAsSentUnlessTheIdWasMadeUpHere() {
    TraceStore store = store(1 << 20, Duration.ofHours(1), 100);
    store.add(List.of(span(traceId(1), spanId(1), "", "GET /orders", "orders", 1_000, 50, false)));
    store.add(List.of(span(traceId(2), spanId(2), "", "GET /", "kong", 990, 70, false)));
    store.add(List.of(span(traceId(3), spanId(3), "", "read", "nginx", 995, 60, false)));
    assertThat(store.merge(traceId(2), traceId(1))).isTrue();
    assertThat(store.mergeMinted(traceId(3), traceId(1))).isTrue();

    TraceSnapshot merged = store.get(traceId(3)).orElseThrow();
    assertThat(merged.summary().traceId()).isEqualTo(traceId(1));
    assertThat(merged.spans())
        .extracting(view -> view.record().spanId() + " " + view.record().traceId())
        .containsExactlyInAnyOrder(
            spanId(1) + " " + traceId(1),
            spanId(2) + " " + traceId(2),
            spanId(3) + " " + traceId(1));
    assertThat(store.spanCount()).isEqualTo(3);
  }
}
