package dev.threadline.sdk.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RouteLimiterTest {

  @Test
  void admitsUpToTheCapThenOnlyKnownRoutes() {
    RouteLimiter limiter = new RouteLimiter(2);
    assertThat(limiter.tryAdmit("/a")).isTrue();
    assertThat(limiter.tryAdmit("/a")).isTrue();
    assertThat(limiter.tryAdmit("/b")).isTrue();
    assertThat(limiter.tryAdmit("/c")).isFalse();
    assertThat(limiter.tryAdmit("/a")).isTrue();
    assertThat(limiter.admittedCount()).isEqualTo(2);
  }

  @Test
  void capIsExactUnderContention() throws Exception {
    RouteLimiter limiter = new RouteLimiter(100);
    Set<String> admitted = ConcurrentHashMap.newKeySet();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  // Every thread offers the same 1000 routes, so threads race on both new and
                  // identical routes.
                  for (int i = 0; i < 1000; i++) {
                    String route = "/r" + i;
                    if (limiter.tryAdmit(route)) {
                      admitted.add(route);
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(limiter.admittedCount()).isEqualTo(100);
    assertThat(admitted).hasSize(100);
  }
}
