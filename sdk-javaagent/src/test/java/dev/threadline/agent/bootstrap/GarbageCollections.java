package dev.threadline.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Full collections for leak tests, each awaited through a marker reference, never by time. */
public final class GarbageCollections {
  private GarbageCollections() {}

  /**
   * Runs full collections until {@code done} holds (at most 20); each round waits until a fresh
   * weak reference has been cleared and enqueued, so the reference handler has run after it.
   */
  public static void collectUntil(BooleanSupplier done) throws InterruptedException {
    ReferenceQueue<Object> rounds = new ReferenceQueue<>();
    for (int round = 0; round < 20 && !done.getAsBoolean(); round++) {
      WeakReference<Object> marker = new WeakReference<>(new Object(), rounds);
      System.gc();
      assertThat(rounds.remove(TimeUnit.SECONDS.toMillis(20)))
          .as("a full collection clears a fresh weak reference")
          .isSameAs(marker);
    }
  }
}
