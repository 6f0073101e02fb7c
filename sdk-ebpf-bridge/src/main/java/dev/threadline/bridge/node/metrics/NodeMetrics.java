package dev.threadline.bridge.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;

/**
 * The node's own metrics, in a Prometheus registry scraped at {@code GET /metrics} on the node's
 * port:
 *
 * <ul>
 *   <li>{@code threadline.node.spans.received}: every span of every export request that decoded (a
 *       request refused whole, 400 or 413, has no spans to count: it counts in {@code
 *       threadline.node.requests})
 *   <li>{@code threadline.node.spans.rejected}: received spans refused (invalid ids, a full trace)
 *   <li>{@code threadline.node.spans.duplicates}: received spans the store already held (a retried
 *       export); the new copy replaces the old, the store holds one
 *   <li>{@code threadline.node.spans.evicted}: spans dropped from the store to honour its limits
 *   <li>{@code threadline.node.spans.forwarded}: spans the forwarding target accepted
 *   <li>{@code threadline.node.spans.forward.failures}: spans that could not be forwarded (target
 *       down or refusing, queue full)
 *   <li>{@code threadline.node.requests}{@code {outcome, encoding}}: export requests by outcome
 *       ({@code accepted}, {@code bad_request}, {@code too_large}, {@code unsupported}) and
 *       encoding ({@code protobuf}, {@code json}, {@code other})
 *   <li>{@code threadline.node.store.bytes}, {@code threadline.node.store.traces}, {@code
 *       threadline.node.store.spans}: what the store holds now
 * </ul>
 *
 * <p>Each received span ends up in exactly one place, so once requests in flight are answered:
 * {@code received = store.spans + evicted + rejected + duplicates}.
 */
public final class NodeMetrics {
  private final PrometheusMeterRegistry registry;
  private final Counter received;
  private final Counter rejected;
  private final Counter duplicates;
  private final Counter evicted;
  private final Counter forwarded;
  private final Counter forwardFailures;

  private NodeMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    received =
        Counter.builder("threadline.node.spans.received")
            .description("Spans in the export requests the node decoded")
            .register(registry);
    rejected =
        Counter.builder("threadline.node.spans.rejected")
            .description("Received spans refused (invalid ids, trace full)")
            .register(registry);
    duplicates =
        Counter.builder("threadline.node.spans.duplicates")
            .description("Received spans the store already held (retried exports)")
            .register(registry);
    evicted =
        Counter.builder("threadline.node.spans.evicted")
            .description("Spans evicted from the store to keep within its limits")
            .register(registry);
    forwarded =
        Counter.builder("threadline.node.spans.forwarded")
            .description("Spans accepted by the forwarding target")
            .register(registry);
    forwardFailures =
        Counter.builder("threadline.node.spans.forward.failures")
            .description("Spans that could not be forwarded")
            .register(registry);
  }

  /** A fresh registry with the node's counters. */
  public static NodeMetrics create() {
    return new NodeMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** Registers the store gauges; the suppliers are read at scrape time. */
  public void bindStore(Supplier<Number> bytes, Supplier<Number> traces, Supplier<Number> spans) {
    Gauge.builder("threadline.node.store.spans", spans)
        .description("Spans in the store")
        .register(registry);
    Gauge.builder("threadline.node.store.bytes", bytes)
        .baseUnit("bytes")
        .description("Estimated heap held by stored spans")
        .register(registry);
    Gauge.builder("threadline.node.store.traces", traces)
        .description("Traces in the store")
        .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public void received(long spans) {
    received.increment(spans);
  }

  public void rejected(long spans) {
    rejected.increment(spans);
  }

  public void duplicates(long spans) {
    duplicates.increment(spans);
  }

  public void evicted(long spans) {
    evicted.increment(spans);
  }

  public void forwarded(long spans) {
    forwarded.increment(spans);
  }

  public void forwardFailed(long spans) {
    forwardFailures.increment(spans);
  }

  /**
   * Counts one export request by outcome and encoding ({@code protobuf}, {@code json}, {@code
   * other}).
   */
  public void request(String outcome, String encoding) {
    Counter.builder("threadline.node.requests")
        .tag("outcome", outcome)
        .tag("encoding", encoding)
        .description("OTLP export requests by outcome")
        .register(registry)
        .increment();
  }

  /** The total of a counter over all its tags (for tests and diagnostics). */
  public double count(String name) {
    double total = 0;
    for (Counter counter : registry.find(name).counters()) {
      total += counter.count();
    }
    return total;
  }

  /** The value of one counter with the given tag key/value pairs. */
  public double count(String name, String... tags) {
    Counter counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  /** The registry as a plain {@link MeterRegistry}, for binding more meters. */
  public MeterRegistry meterRegistry() {
    return registry;
  }
}
