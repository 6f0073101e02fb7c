package dev.threadline.bridge.node.store;

import java.util.List;

/**
 * A consistent copy of one trace, taken under the store's lock.
 *
 * @param summary the trace's summary
 * @param spans its spans, ordered by start time
 */
public record TraceSnapshot(TraceSummary summary, List<SpanView> spans) {
  public TraceSnapshot {
    spans = List.copyOf(spans);
  }
}
