package dev.threadline.bridge.correlate;

import dev.threadline.bridge.decode.Endpoint;
import dev.threadline.bridge.node.store.Attribute;
import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.span.SSpan;
import dev.threadline.bridge.span.SpanKind;
import dev.threadline.sdk.export.UrlRedaction;
import java.util.List;

/**
 * The correlator's state for one S span while it waits for evidence: where it stands now (trace,
 * parent, the rule that put it there) and what it still waits for on the application side. Guarded
 * by the correlator's lock.
 */
final class SNode {
  /** What an S span still expects of the A spans, once they arrive. */
  enum Pending {
    NONE,
    /** c-p: the stamped span must exist and be open at the request's time before it parents. */
    STAMP_PARENT,
    /** s-p: the A SERVER span the response stamp names goes under this s-p. */
    STAMP_CHILD,
    /** s-p: the A SERVER span whose parent is the request's propagated span goes under it. */
    PROPAGATED_CHILD,
    /** gateway s-p: the root A span (Kong's {@code kong}) above a proxied c-p goes under it. */
    ROOT_CHILD
  }

  /** Mirrored ends and the request's first sequence number: equal for a c-p and its s-p. */
  record WireKey(Endpoint client, Endpoint server, long seq) {}

  final SSpan span;
  final String spanId;
  final String service;

  /** The clock offset when the span arrived: its epoch times stay the ones it was joined on. */
  final long monotonicToEpochNanos;

  final long startEpochNanos;
  final long endEpochNanos;
  final long expiresAtMillis;
  final List<Attribute> baseAttributes;
  final PayloadContext propagated;
  final String requestId;

  String traceId;
  String parentSpanId = "";
  JoinRule rule;
  boolean inferred;
  boolean hasChild;

  /** The trace id was minted here: no application span has joined it yet. */
  boolean derivedTrace;

  Pending pending = Pending.NONE;
  String pendingTraceId;
  String pendingSpanId;

  SNode(
      SSpan span,
      String spanId,
      String service,
      long monotonicToEpochNanos,
      long expiresAtMillis,
      UrlRedaction redaction) {
    this.span = span;
    this.spanId = spanId;
    this.service = service;
    this.monotonicToEpochNanos = monotonicToEpochNanos;
    this.startEpochNanos = span.startNanos() + monotonicToEpochNanos;
    this.endEpochNanos = span.endNanos() + monotonicToEpochNanos;
    this.expiresAtMillis = expiresAtMillis;
    this.baseAttributes = SpanRecords.baseAttributes(span, redaction);
    this.propagated = PayloadContext.of(span.request());
    this.requestId = PayloadContext.requestId(span.request());
  }

  boolean client() {
    return span.kind() == SpanKind.CLIENT;
  }

  boolean joined() {
    return !parentSpanId.isEmpty() || hasChild;
  }

  WireKey wireKey() {
    return client()
        ? new WireKey(span.local(), span.remote(), span.requestSeq())
        : new WireKey(span.remote(), span.local(), span.requestSeq());
  }

  void place(String trace, String parent, JoinRule by, boolean guessed) {
    this.traceId = trace;
    this.parentSpanId = parent;
    this.rule = by;
    this.inferred = guessed;
  }

  void expect(Pending what, String trace, String span) {
    this.pending = what;
    this.pendingTraceId = trace;
    this.pendingSpanId = span;
  }

  SpanRecord record() {
    return SpanRecords.record(
        span,
        traceId,
        spanId,
        parentSpanId,
        service,
        monotonicToEpochNanos,
        baseAttributes,
        rule,
        inferred);
  }
}
