package dev.threadline.samples.quickstart;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Keeps finished spans in memory so the demo can print them as a tree. */
final class SpanCollector implements SpanExporter {
  private final ConcurrentLinkedQueue<SpanData> spans = new ConcurrentLinkedQueue<>();

  @Override
  public CompletableResultCode export(Collection<SpanData> batch) {
    spans.addAll(batch);
    return CompletableResultCode.ofSuccess();
  }

  /** Removes and returns everything collected so far. */
  List<SpanData> drain() {
    List<SpanData> drained = new ArrayList<>();
    for (SpanData span; (span = spans.poll()) != null; ) {
      drained.add(span);
    }
    return drained;
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
