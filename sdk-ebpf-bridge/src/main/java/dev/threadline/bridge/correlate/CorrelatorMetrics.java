package dev.threadline.bridge.correlate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The correlator's counters, bound to the node's registry (shown on {@code /metrics} as {@code
 * threadline_correlator_*}): every S span received is, once its join window has passed, either
 * joined (by a rule) or unjoined; spans pushed out early by a full waiting area are counted apart.
 */
public final class CorrelatorMetrics {
  private final Counter received;
  private final Map<JoinRule, Counter> joined = new EnumMap<>(JoinRule.class);
  private final Map<JoinRule, Counter> conflicts = new EnumMap<>(JoinRule.class);
  private final Counter unjoined;
  private final Counter evicted;
  private final Counter merged;
  private final Counter stampsRejected;
  private final Counter applicationJoinsExpired;
  private final Counter ownTraffic;

  private CorrelatorMetrics(MeterRegistry registry) {
    received = counter(registry, "threadline.correlator.s_spans.received", "S spans received");
    for (JoinRule rule : JoinRule.values()) {
      joined.put(
          rule,
          Counter.builder("threadline.correlator.joins")
              .description("S spans joined to a parent or child, by the rule that joined them")
              .tag("rule", rule.key())
              .register(registry));
      conflicts.put(
          rule,
          Counter.builder("threadline.correlator.join.conflicts")
              .description("joins refused: they would have merged two application traces")
              .tag("rule", rule.key())
              .register(registry));
    }
    unjoined =
        counter(
            registry,
            "threadline.correlator.s_spans.unjoined",
            "S spans whose join window passed with nothing joined to them");
    evicted =
        counter(
            registry,
            "threadline.correlator.s_spans.evicted",
            "S spans pushed out of a full waiting area before their join window passed");
    merged = counter(registry, "threadline.correlator.traces.merged", "traces merged into another");
    stampsRejected =
        counter(
            registry,
            "threadline.correlator.stamps.rejected",
            "thread-context stamps naming a span that was not open at the event's time");
    applicationJoinsExpired =
        counter(
            registry,
            "threadline.correlator.application_joins.expired",
            "joins that waited for an A span that did not arrive within the join window");
    ownTraffic =
        counter(
            registry,
            "threadline.correlator.s_spans.own_traffic",
            "S spans of the node's own traffic (OTLP exports to it), dropped");
  }

  /** Counters registered in {@code registry}. */
  public static CorrelatorMetrics register(MeterRegistry registry) {
    return new CorrelatorMetrics(registry);
  }

  /** A gauge of the S spans waiting now. */
  public void bindWaiting(MeterRegistry registry, Supplier<Number> waiting) {
    Gauge.builder("threadline.correlator.waiting", waiting)
        .description("S spans inside their join window now")
        .register(registry);
  }

  private static Counter counter(MeterRegistry registry, String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  void received() {
    received.increment();
  }

  void joined(JoinRule rule) {
    joined.get(rule).increment();
  }

  void conflict(JoinRule rule) {
    conflicts.get(rule).increment();
  }

  void unjoined() {
    unjoined.increment();
  }

  void evicted() {
    evicted.increment();
  }

  void merged() {
    merged.increment();
  }

  void stampRejected() {
    stampsRejected.increment();
  }

  void applicationJoinExpired() {
    applicationJoinsExpired.increment();
  }

  /** One S span of the node's own traffic was dropped. */
  public void ownTraffic() {
    ownTraffic.increment();
  }
}
