package dev.threadline.agent.bootstrap.executors;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map with weak keys compared by identity. Retransformed JDK classes cannot get new
 * fields, so the context captured for a task object lives here instead; a task that is never run
 * (rejected, dropped by {@code shutdownNow}) takes its entry with it when it is collected.
 */
final class WeakIdentityMap<V> {
  private final ConcurrentHashMap<Key, V> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

  void put(Object key, V value) {
    expunge();
    map.put(new Key(key, collected), value);
  }

  /**
   * Puts unless {@code key} is present; returns the value already there, or {@code null} when put.
   */
  V putIfAbsent(Object key, V value) {
    expunge();
    return map.putIfAbsent(new Key(key, collected), value);
  }

  V get(Object key) {
    // Empty-check first: with nothing captured (no active span anywhere) lookups allocate nothing.
    return map.isEmpty() ? null : map.get(new Key(key, null));
  }

  V remove(Object key) {
    return map.isEmpty() ? null : map.remove(new Key(key, null));
  }

  int size() {
    expunge();
    return map.size();
  }

  private void expunge() {
    Object stale;
    while ((stale = collected.poll()) != null) {
      map.remove(stale);
    }
  }

  /**
   * Weak key; a lookup key is the same class without a queue, equal when the referents are the same
   * object.
   */
  private static final class Key extends WeakReference<Object> {
    private final int hash;

    Key(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      if (!(other instanceof Key)) {
        return false;
      }
      Object referent = get();
      return referent != null && referent == ((Key) other).get();
    }
  }
}
