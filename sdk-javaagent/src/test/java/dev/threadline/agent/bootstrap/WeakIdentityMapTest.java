package dev.threadline.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {

  @Test
  void entriesOfCollectedKeysGoAway() throws InterruptedException {
    WeakIdentityMap<String> map = new WeakIdentityMap<>();
    Object kept = new Object();
    map.put(kept, "kept");
    Object dropped = new Object();
    WeakReference<Object> droppedRef = new WeakReference<>(dropped);
    map.put(dropped, "dropped");
    dropped = null;
    GarbageCollections.collectUntil(() -> droppedRef.get() == null && map.size() == 1);
    assertThat(droppedRef.get()).as("the map does not keep its keys alive").isNull();
    assertThat(map.size()).isEqualTo(1);
    assertThat(map.get(kept)).isEqualTo("kept");
    assertThat(map.get(new Object())).isNull();
  }

  @Test
  void keysAreComparedByIdentityNotEquality() {
    WeakIdentityMap<String> map = new WeakIdentityMap<>();
    String one = new String("same text");
    String other = new String("same text");
    map.put(one, "one");
    assertThat(map.get(one)).isEqualTo("one");
    assertThat(map.get(other)).isNull();
    assertThat(map.containsKey(one)).isTrue();
    assertThat(map.containsKey(other)).isFalse();
    assertThat(map.putIfAbsent(one, "again")).isEqualTo("one");
    assertThat(map.putIfAbsent(other, "other")).isNull();
    assertThat(map.remove(one)).isEqualTo("one");
    assertThat(map.get(one)).isNull();
    assertThat(map.get(other)).isEqualTo("other");
  }

  @Test
  void aNullKeyIsNeverKept() {
    WeakIdentityMap<String> map = new WeakIdentityMap<>();
    map.put(null, "x");
    assertThat(map.putIfAbsent(null, "y")).isNull();
    assertThat(map.get(null)).isNull();
    assertThat(map.containsKey(null)).isFalse();
    assertThat(map.size()).isZero();
  }

  @Test
  void threadsSeeEachOthersEntries() throws Exception {
    WeakIdentityMap<Integer> map = new WeakIdentityMap<>();
    int threads = 4;
    int perThread = 2_000;
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < threads * perThread; i++) {
      keys.add(new Object());
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t * perThread;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = first; i < first + perThread; i++) {
                    map.put(keys.get(i), i);
                    assertThat(map.get(keys.get(i))).isEqualTo(i);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(map.size()).isEqualTo(threads * perThread);
    for (int i = 0; i < keys.size(); i++) {
      assertThat(map.get(keys.get(i))).isEqualTo(i);
    }
  }
}
