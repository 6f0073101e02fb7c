package dev.threadline.bridge.testing;

import dev.threadline.bridge.span.SSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Collects spans from the consumer thread and lets a test wait for the ones it expects.
 *
 * <p>"Exactly N" is shown without a quiet window: after the N spans arrived, the collector sends
 * its {@link Marker}, traffic made after everything the test did, and waits for the marker's spans.
 * The tracer delivers spans on one thread in the kernel's event order, so a span the test's traffic
 * could still produce arrives before the marker's: the spans counted then are all there will be.
 */
public final class SpanCollector implements Consumer<SSpan> {
  /** Traffic that ends in spans of its own, sent after the traffic under test. */
  @FunctionalInterface
  public interface Marker {
    /**
     * Sends the marker's traffic (on the tracer's ports, through the same path as the test's) and
     * returns its spans.
     */
    Spans send() throws Exception;

    /** The marker's spans: {@code count} of them match {@code filter}. */
    record Spans(Predicate<SSpan> filter, int count) {}
  }

  private final List<SSpan> spans = new ArrayList<>();
  private final Marker marker;

  /**
   * @param marker sent after each {@link #await}ed count is reached, to bound the spans that follow
   */
  public SpanCollector(Marker marker) {
    this.marker = marker;
  }

  @Override
  public synchronized void accept(SSpan span) {
    spans.add(span);
    notifyAll();
  }

  /**
   * Waits until {@code count} spans match, then sends the marker and waits for its spans; returns
   * every matching span delivered before the marker's (an unexpected extra one included).
   */
  public List<SSpan> await(Predicate<SSpan> filter, int count, Duration timeout) throws Exception {
    awaitCount(filter, count, System.nanoTime() + timeout.toNanos());
    Marker.Spans mark = marker.send();
    int end = awaitCount(mark.filter(), mark.count(), System.nanoTime() + timeout.toNanos());
    if (end < 0) {
      throw new AssertionError(
          "the marker's "
              + mark.count()
              + " spans did not arrive within "
              + timeout
              + ": "
              + all());
    }
    synchronized (this) {
      return matching(filter, end);
    }
  }

  public synchronized List<SSpan> all() {
    return List.copyOf(spans);
  }

  /**
   * Waits until {@code count} spans match; returns the index just past the last of those, or -1 at
   * the deadline.
   */
  private synchronized int awaitCount(Predicate<SSpan> filter, int count, long deadline)
      throws InterruptedException {
    while (true) {
      int seen = 0;
      for (int i = 0; i < spans.size(); i++) {
        if (filter.test(spans.get(i)) && ++seen == count) {
          return i + 1;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return -1;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  private List<SSpan> matching(Predicate<SSpan> filter, int end) {
    List<SSpan> out = new ArrayList<>();
    for (SSpan s : spans.subList(0, end)) {
      if (filter.test(s)) {
        out.add(s);
      }
    }
    return out;
  }
}
