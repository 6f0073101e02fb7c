package dev.threadline.benchmarks.correlate;

import dev.threadline.benchmarks.correlate.WebShopTraffic.Accept;
import dev.threadline.benchmarks.correlate.WebShopTraffic.Export;
import dev.threadline.benchmarks.correlate.WebShopTraffic.Step;
import dev.threadline.bridge.correlate.Correlator;
import dev.threadline.bridge.correlate.CorrelatorMetrics;
import dev.threadline.bridge.node.store.Origin;
import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.node.store.SpanView;
import dev.threadline.bridge.node.store.StoreLimits;
import dev.threadline.bridge.node.store.TraceSnapshot;
import dev.threadline.bridge.node.store.TraceStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fresh store and correlator, built as the node builds them (default join window and waiting
 * bound), fed {@link WebShopTraffic}'s steps on the calling thread: S spans to {@link
 * Correlator#accept}, exports to {@link TraceStore#add}, sweeps to {@link Correlator#sweep}, with
 * the correlator's clock at each step's simulated time. {@link #verify} checks where every span
 * ended up. The store may hold all the traffic's traces (1 GiB, one hour), so that the check sees
 * every request.
 */
final class Replay {
  final AtomicLong nowMillis = new AtomicLong();
  final AtomicLong settled = new AtomicLong();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final TraceStore store =
      TraceStore.create(
          new StoreLimits(1L << 30, Duration.ofHours(1), StoreLimits.DEFAULT_MAX_SPANS_PER_TRACE));
  final Correlator correlator;

  /** The next step to feed. */
  private int next;

  Replay(Path proc) {
    AtomicLong settledSpans = settled;
    correlator =
        Correlator.builder(store, CorrelatorMetrics.register(registry))
            .clockOffset(WebShopTraffic.CLOCK_OFFSET_NANOS)
            .clock(nowMillis::get)
            .proc(proc)
            .onSettled(spans -> settledSpans.addAndGet(spans.size()))
            .build();
  }

  /**
   * Feeds the steps from where the last call stopped up to {@code untilNanos}; the S spans only
   * when {@code withS}.
   */
  void run(List<Step> steps, boolean withS, long untilNanos) {
    for (; next < steps.size(); next++) {
      Step step = steps.get(next);
      if (step.atNanos() > untilNanos) {
        return;
      }
      nowMillis.set((step.atNanos() + WebShopTraffic.CLOCK_OFFSET_NANOS) / 1_000_000L);
      if (step instanceof Accept accept) {
        if (withS) {
          correlator.accept(accept.span());
        }
      } else if (step instanceof Export export) {
        store.add(export.batch());
      } else {
        correlator.sweep();
      }
    }
  }

  /**
   * Throws unless every S span was received and settled joined, nothing was evicted, rejected or
   * refused, and every request is exactly one trace, under its application trace id, holding
   * exactly its spans, each under the parent it must have.
   */
  void verify(WebShopTraffic traffic) {
    expect("S spans received", count("threadline.correlator.s_spans.received"), traffic.sSpans());
    expect("S spans settled", settled.get(), traffic.sSpans());
    expect("S spans still waiting", correlator.waiting(), 0);
    for (String zero :
        List.of(
            "threadline.correlator.s_spans.unjoined",
            "threadline.correlator.s_spans.evicted",
            "threadline.correlator.stamps.rejected",
            "threadline.correlator.application_joins.expired",
            "threadline.correlator.join.conflicts")) {
      expect(zero, count(zero), 0);
    }
    expect("traces in the store", store.traceCount(), traffic.requests().size());
    expect("spans in the store", store.spanCount(), traffic.sSpans() + traffic.aSpans());
    for (WebShopTraffic.Request request : traffic.requests()) {
      TraceSnapshot trace =
          store
              .get(request.traceId())
              .orElseThrow(
                  () -> new IllegalStateException("request " + request.number() + ": no trace"));
      if (!trace.summary().traceId().equals(request.traceId())) {
        throw new IllegalStateException(
            "request " + request.number() + " is in trace " + trace.summary().traceId());
      }
      Map<String, String> found = parents(trace);
      if (!found.equals(request.parentOf())) {
        throw new IllegalStateException(
            "request "
                + request.number()
                + " is not joined as it must be: "
                + diff(request, found));
      }
    }
  }

  /** Throws unless the store holds exactly the traffic's A spans (the run without S spans). */
  void verifyASpansOnly(WebShopTraffic traffic) {
    expect("S spans received", count("threadline.correlator.s_spans.received"), 0);
    expect("spans in the store", store.spanCount(), traffic.aSpans());
    expect("traces in the store", store.traceCount(), traffic.requests().size());
  }

  /** Joins made, by rule (the counter's tag). */
  Map<String, Long> joinsByRule() {
    Map<String, Long> joins = new TreeMap<>();
    for (Counter c : registry.get("threadline.correlator.joins").counters()) {
      joins.put(c.getId().getTag("rule"), (long) c.count());
    }
    return joins;
  }

  /** Each span's key and its parent's key ("" for the top). */
  private static Map<String, String> parents(TraceSnapshot trace) {
    Map<String, String> keyOf = new HashMap<>();
    for (SpanView view : trace.spans()) {
      keyOf.put(view.record().spanId(), key(view.record()));
    }
    Map<String, String> parents = new LinkedHashMap<>();
    for (SpanView view : trace.spans()) {
      String parent = view.parentSpanId();
      parents.put(
          key(view.record()),
          parent.isEmpty() ? "" : keyOf.getOrDefault(parent, "(not in the trace) " + parent));
    }
    return parents;
  }

  private static String key(SpanRecord record) {
    return record.origin() == Origin.S
        ? WebShopTraffic.sKey(
            record.attribute("threadline.s.side"),
            record.attribute("process.pid"),
            record.attribute("threadline.tcp.request_seq"))
        : record.spanId();
  }

  private static String diff(WebShopTraffic.Request request, Map<String, String> found) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> e : request.parentOf().entrySet()) {
      String actual = found.containsKey(e.getKey()) ? found.get(e.getKey()) : "(missing)";
      if (!e.getValue().equals(actual)) {
        out.append("\n  ").append(e.getKey()).append(": parent ").append(actual);
        out.append(", must be ").append(e.getValue().isEmpty() ? "none" : e.getValue());
      }
    }
    for (String key : found.keySet()) {
      if (!request.parentOf().containsKey(key)) {
        out.append("\n  ").append(key).append(": not of this request");
      }
    }
    return out.toString();
  }

  private double count(String name) {
    return registry.get(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static void expect(String what, double actual, double expected) {
    if (actual != expected) {
      throw new IllegalStateException(what + ": " + actual + ", must be " + expected);
    }
  }
}
