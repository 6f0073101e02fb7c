package dev.threadline.samples.webshop.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a load run did: counts and latency percentiles. */
record LoadResult(String mode, int ok, int failed, long elapsedNanos, List<Long> latencies) {

  String summary() {
    List<Long> sorted;
    synchronized (latencies) {
      sorted = new ArrayList<>(latencies);
    }
    sorted.sort(null);
    double seconds = elapsedNanos / 1e9;
    return String.format(
        Locale.ROOT,
        "load %s: %d requests, %d ok, %d failed in %.1f s (%.1f req/s); latency ms p50=%.1f p90=%.1f p99=%.1f max=%.1f",
        mode,
        ok + failed,
        ok,
        failed,
        seconds,
        (ok + failed) / seconds,
        percentile(sorted, 0.50),
        percentile(sorted, 0.90),
        percentile(sorted, 0.99),
        percentile(sorted, 1.0));
  }

  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1e6;
  }
}
