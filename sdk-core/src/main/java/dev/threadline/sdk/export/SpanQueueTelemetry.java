package dev.threadline.sdk.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.semconv.ErrorAttributes;

/**
 * Reads the OpenTelemetry SDK's own span-processor telemetry (semantic-convention version): how
 * many spans the batch processor dropped, how many wait in its queue and how many it can hold. The
 * batch processor is the SDK's, not ours; this is the one place its drop count is published.
 */
public final class SpanQueueTelemetry implements MetricReader {
  static final String PROCESSED = "otel.sdk.processor.span.processed";
  static final String QUEUE_SIZE = "otel.sdk.processor.span.queue.size";
  static final String QUEUE_CAPACITY = "otel.sdk.processor.span.queue.capacity";

  private volatile CollectionRegistration registration = CollectionRegistration.noop();

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  /** Spans the SDK processors dropped: queue full, or ended after shutdown. */
  public long droppedSpans() {
    long dropped = 0;
    for (MetricData metric : registration.collectAllMetrics()) {
      if (PROCESSED.equals(metric.getName())) {
        for (LongPointData point : metric.getLongSumData().getPoints()) {
          if (point.getAttributes().get(ErrorAttributes.ERROR_TYPE) != null) {
            dropped += point.getValue();
          }
        }
      }
    }
    return dropped;
  }

  /** Spans waiting in the batch processors' queues now. */
  public long queuedSpans() {
    long queued = 0;
    for (MetricData metric : registration.collectAllMetrics()) {
      if (QUEUE_SIZE.equals(metric.getName())) {
        for (LongPointData point : metric.getLongSumData().getPoints()) {
          queued += point.getValue();
        }
      }
    }
    return queued;
  }

  /** Spans the batch processors' queues can hold, as the SDK sized them. */
  public long queueCapacity() {
    long capacity = 0;
    for (MetricData metric : registration.collectAllMetrics()) {
      if (QUEUE_CAPACITY.equals(metric.getName())) {
        for (LongPointData point : metric.getLongSumData().getPoints()) {
          capacity += point.getValue();
        }
      }
    }
    return capacity;
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    registration = CollectionRegistration.noop();
    return CompletableResultCode.ofSuccess();
  }
}
