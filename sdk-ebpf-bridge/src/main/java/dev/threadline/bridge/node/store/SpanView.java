package dev.threadline.bridge.node.store;

/**
 * A span as it stands in the store now: its record and its current parent, which differs from
 * {@code record.parentSpanId()} once the span has been re-parented.
 *
 * @param record the span as received
 * @param parentSpanId the current parent span id, or {@code ""} for a root
 */
public record SpanView(SpanRecord record, String parentSpanId) {
  /** Whether the store changed this span's parent since it was received. */
  public boolean reparented() {
    return !parentSpanId.equals(record.parentSpanId());
  }
}
