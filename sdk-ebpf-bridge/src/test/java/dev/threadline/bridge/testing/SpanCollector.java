package dev.threadline.bridge.testing;

import dev.threadline.bridge.span.SSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Collects spans from the consumer thread and lets a test wait for the ones it expects. */
public final class SpanCollector implements Consumer<SSpan> {
  private final List<SSpan> spans = new ArrayList<>();

  @Override
  public synchronized void accept(SSpan span) {
    spans.add(span);
    notifyAll();
  }

  /**
   * Waits until {@code count} spans match, then a short quiet period so that an unexpected extra
   * span would be seen too; returns all matching spans.
   */
  public synchronized List<SSpan> await(Predicate<SSpan> filter, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (matching(filter).size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    long quietUntil = System.nanoTime() + Duration.ofMillis(300).toNanos();
    while (System.nanoTime() < quietUntil) {
      wait(Math.max(1, (quietUntil - System.nanoTime()) / 1_000_000));
    }
    return matching(filter);
  }

  public synchronized List<SSpan> all() {
    return List.copyOf(spans);
  }

  private List<SSpan> matching(Predicate<SSpan> filter) {
    List<SSpan> out = new ArrayList<>();
    for (SSpan s : spans) {
      if (filter.test(s)) {
        out.add(s);
      }
    }
    return out;
  }
}
