package dev.threadline.bridge.node.store;

import java.util.List;
import java.util.Objects;

/**
 * One span as received: an immutable value. What can change once a span is in the store (its
 * parent, the trace it belongs to) is kept by the store beside the record, never in it, so that a
 * span re-parented under an S span or merged into another trace still shows what its sender said.
 * (A span whose trace id the node made up itself takes the id of the trace it is merged into: see
 * {@link TraceStore#mergeMinted}.)
 *
 * @param traceId the trace id as sent, 32 lowercase hex digits
 * @param spanId the span id, 16 lowercase hex digits
 * @param parentSpanId the parent span id as sent, or {@code ""} for a root span
 * @param name the span name
 * @param kind {@code INTERNAL}, {@code SERVER}, {@code CLIENT}, {@code PRODUCER}, {@code CONSUMER}
 *     or {@code UNSPECIFIED}
 * @param startEpochNanos start, nanoseconds since the epoch
 * @param endEpochNanos end, nanoseconds since the epoch (never before the start)
 * @param service the resource's {@code service.name}
 * @param scope the instrumentation scope name ({@code kong-internal} for Kong)
 * @param statusCode {@code UNSET}, {@code OK} or {@code ERROR}
 * @param statusMessage the status description, or {@code ""}
 * @param origin where the span was observed
 * @param attributes the span's attributes
 * @param resourceAttributes the attributes of the resource that sent it
 * @param events the span's events
 */
public record SpanRecord(
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    String kind,
    long startEpochNanos,
    long endEpochNanos,
    String service,
    String scope,
    String statusCode,
    String statusMessage,
    Origin origin,
    List<Attribute> attributes,
    List<Attribute> resourceAttributes,
    List<SpanEvent> events) {

  public SpanRecord {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(parentSpanId, "parentSpanId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(statusCode, "statusCode");
    Objects.requireNonNull(statusMessage, "statusMessage");
    Objects.requireNonNull(origin, "origin");
    if (endEpochNanos < startEpochNanos) {
      endEpochNanos = startEpochNanos;
    }
    attributes = List.copyOf(attributes);
    resourceAttributes = List.copyOf(resourceAttributes);
    events = List.copyOf(events);
  }

  /** Whether the span's status is {@code ERROR}. */
  public boolean isError() {
    return "ERROR".equals(statusCode);
  }

  public long durationNanos() {
    return endEpochNanos - startEpochNanos;
  }

  /** The value of a span attribute, or {@code null}. */
  public String attribute(String key) {
    for (Attribute attribute : attributes) {
      if (attribute.key().equals(key)) {
        return attribute.value();
      }
    }
    return null;
  }

  /**
   * Roughly what this record costs on the heap: the record, its strings (ids included) and its
   * entry in the trace's map. Resource attributes are counted with every span even though records
   * of one request share them: over-counting errs on the side of the configured limit. The store
   * tests check it against the heap as JOL measures it.
   */
  public long estimatedBytes() {
    long bytes =
        240
            + 2L
                * (traceId.length()
                    + spanId.length()
                    + parentSpanId.length()
                    + name.length()
                    + service.length()
                    + scope.length()
                    + statusMessage.length());
    for (Attribute attribute : attributes) {
      bytes += attribute.estimatedBytes();
    }
    for (Attribute attribute : resourceAttributes) {
      bytes += attribute.estimatedBytes();
    }
    for (SpanEvent event : events) {
      bytes += event.estimatedBytes();
    }
    return bytes;
  }

  /** The same span in trace {@code newTraceId}. */
  public SpanRecord withTraceId(String newTraceId) {
    return new SpanRecord(
        newTraceId,
        spanId,
        parentSpanId,
        name,
        kind,
        startEpochNanos,
        endEpochNanos,
        service,
        scope,
        statusCode,
        statusMessage,
        origin,
        attributes,
        resourceAttributes,
        events);
  }
}
