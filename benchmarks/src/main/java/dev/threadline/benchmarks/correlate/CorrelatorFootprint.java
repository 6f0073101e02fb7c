package dev.threadline.benchmarks.correlate;

import java.nio.file.Path;
import org.openjdk.jol.info.GraphLayout;

/**
 * The heap the correlator holds per waiting S span, walked and sized by JOL: the correlator fed the
 * WebShop traffic of N requests (default 1000, all inside one join window, so every S span still
 * waits), up to its last S span, minus an empty correlator, divided by the spans waiting. Only the
 * correlator's own state is counted: what the store (which it references), the metrics registry and
 * the clock hold is subtracted, so objects shared with the store (attribute values) count for the
 * store. Run with {@code benchmarks/run --main
 * dev.threadline.benchmarks.correlate.CorrelatorFootprint [requests]}.
 */
public final class CorrelatorFootprint {
  static {
    // The correlator holds lambdas (hidden classes), whose field offsets JOL reads this way.
    System.setProperty("jol.magicFieldOffset", "true");
  }

  private CorrelatorFootprint() {}

  public static void main(String[] args) {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    WebShopTraffic traffic =
        WebShopTraffic.generate(
            requests, CorrelatorBenchmark.REQUESTS_PER_SECOND, CorrelatorBenchmark.SEED);
    if (traffic.endNanos() - traffic.steps().get(0).atNanos() >= 15_000_000_000L) {
      throw new IllegalArgumentException("keep the traffic inside one join window (15 s)");
    }
    Path proc = ProcDir.create();
    try {
      Replay empty = new Replay(proc);
      Replay full = new Replay(proc);
      long lastS =
          traffic.steps().stream()
              .filter(s -> s instanceof WebShopTraffic.Accept)
              .mapToLong(WebShopTraffic.Step::atNanos)
              .max()
              .orElseThrow();
      full.run(traffic.steps(), true, lastS);
      int waiting = full.correlator.waiting();
      if (waiting != traffic.sSpans()) {
        throw new IllegalStateException(waiting + " S spans waiting, not " + traffic.sSpans());
      }
      long emptyBytes = ownBytes(empty);
      long fullBytes = ownBytes(full);
      double perSpan = (double) (fullBytes - emptyBytes) / waiting;
      full.run(traffic.steps(), true, Long.MAX_VALUE);
      full.correlator.flush();
      full.verify(traffic);
      long settledBytes = ownBytes(full);
      System.out.printf("traffic: %s%n", traffic.describe());
      System.out.printf(
          "empty correlator: %d B; with %d S spans waiting: %d B; %.0f B per waiting S span%n",
          emptyBytes, waiting, fullBytes, perSpan);
      System.out.printf(
          "after every span settled (joins checked): %d B (%+d B against the empty one)%n",
          settledBytes, settledBytes - emptyBytes);
      for (int rate : new int[] {15, CorrelatorBenchmark.REQUESTS_PER_SECOND}) {
        long spans = (long) rate * WebShopTraffic.S_SPANS_PER_REQUEST * 15;
        System.out.printf(
            "%d requests/s for a 15 s window: %d S spans waiting, %.1f MB%n",
            rate, spans, spans * perSpan / 1e6);
      }
      System.out.printf(
          "the default bound, 200000 S spans waiting: %.0f MB%n", 200_000 * perSpan / 1e6);
    } finally {
      ProcDir.delete(proc);
    }
  }

  /** What the correlator alone holds: its graph minus what the store, metrics and clock hold. */
  private static long ownBytes(Replay replay) {
    GraphLayout others =
        GraphLayout.parseInstance(replay.store, replay.registry, replay.nowMillis, replay.settled);
    return GraphLayout.parseInstance(replay.correlator).subtract(others).totalSize();
  }
}
