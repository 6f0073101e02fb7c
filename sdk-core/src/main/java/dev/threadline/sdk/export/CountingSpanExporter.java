package dev.threadline.sdk.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;

/** Counts the spans its delegate exported and the spans whose export failed. */
public final class CountingSpanExporter implements SpanExporter {
  private final SpanExporter delegate;
  private final LongAdder exported = new LongAdder();
  private final LongAdder failed = new LongAdder();

  public CountingSpanExporter(SpanExporter delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    int count = spans.size();
    CompletableResultCode result;
    try {
      result = delegate.export(spans);
    } catch (RuntimeException e) {
      failed.add(count);
      return CompletableResultCode.ofExceptionalFailure(e);
    }
    result.whenComplete(
        () -> {
          if (result.isSuccess()) {
            exported.add(count);
          } else {
            failed.add(count);
          }
        });
    return result;
  }

  /** Spans the backend accepted. */
  public long exportedSpans() {
    return exported.sum();
  }

  /** Spans lost because the export failed (backend down, refused, timed out). */
  public long failedSpans() {
    return failed.sum();
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return "CountingSpanExporter{" + delegate + "}";
  }
}
