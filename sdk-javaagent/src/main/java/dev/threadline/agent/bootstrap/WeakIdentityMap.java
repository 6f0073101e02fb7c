package dev.threadline.agent.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map with weak keys compared by identity: the agent's per-object state (the context
 * captured for a task, the SQL of a prepared statement, the URL of a connection, the open span of
 * an HTTP connection). The agent installs with class format changes disabled (classes the JDK
 * loaded before it are retransformed, and retransformation cannot add fields), so this state lives
 * beside the objects instead of in fields of theirs. No global lock: reads take none, writes lock
 * one bin of the underlying {@link ConcurrentHashMap}; a key that is collected takes its entry with
 * it at the next write.
 *
 * @param <V> the state kept per object; it must not reference its key, or the key never goes away
 */
public final class WeakIdentityMap<V> {
  private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

  /** Associates {@code value} with {@code key}, replacing what was there; no-op for a null key. */
  public void put(Object key, V value) {
    if (key == null) {
      return;
    }
    expunge();
    map.put(new Key(key, collected), value);
  }

  /**
   * Puts unless {@code key} is present; returns the value already there, or {@code null} when put
   * (or when {@code key} is null, which is never put).
   */
  public V putIfAbsent(Object key, V value) {
    if (key == null) {
      return null;
    }
    expunge();
    return map.putIfAbsent(new Key(key, collected), value);
  }

  /** The value for {@code key}, or {@code null}. */
  public V get(Object key) {
    // Empty-check first: with nothing kept (no active span anywhere) lookups touch nothing.
    if (key == null || map.isEmpty()) {
      return null;
    }
    Lookup lookup = Lookup.of(key);
    try {
      return map.get(lookup);
    } finally {
      lookup.clear();
    }
  }

  /** Whether {@code key} has a value. */
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  /** Removes and returns the value for {@code key}, or {@code null}. */
  public V remove(Object key) {
    if (key == null || map.isEmpty()) {
      return null;
    }
    Lookup lookup = Lookup.of(key);
    try {
      // Looked up first: most callers remove what was never put (a pool's task that carried no
      // context), and a read locks nothing where remove locks the key's bin.
      return map.get(lookup) == null ? null : map.remove(lookup);
    } finally {
      lookup.clear();
    }
  }

  /** Number of live entries, after dropping those of collected keys (diagnostics and tests). */
  public int size() {
    expunge();
    return map.size();
  }

  private void expunge() {
    Object stale;
    while ((stale = collected.poll()) != null) {
      map.remove(stale);
    }
  }

  /** The stored weak key. */
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
      Object referent = get();
      if (referent == null) {
        return false;
      }
      if (other instanceof Key) {
        return referent == ((Key) other).get();
      }
      return other instanceof Lookup && referent == ((Lookup) other).referent;
    }
  }

  /**
   * A lookup key: a plain object, not a {@link java.lang.ref.Reference} (which the collector would
   * have to discover and process), one per thread and reused, as OpenTelemetry's weak concurrent
   * map does: a lookup through {@link ConcurrentHashMap} is rarely inlined far enough for a new key
   * to be scalar-replaced, so a fresh one per lookup was an allocation per pool task.
   * ConcurrentHashMap compares with the argument's {@code equals}, so this side decides, and it
   * never stores the argument of {@code get} or {@code remove}.
   */
  private static final class Lookup {
    private static final ThreadLocal<Lookup> PER_THREAD = ThreadLocal.withInitial(Lookup::new);

    private Object referent;
    private int hash;

    static Lookup of(Object referent) {
      Lookup lookup = PER_THREAD.get();
      lookup.referent = referent;
      lookup.hash = System.identityHashCode(referent);
      return lookup;
    }

    /** Lets go of the referent, which must not be kept alive by the thread that looked it up. */
    void clear() {
      referent = null;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key && ((Key) other).get() == referent;
    }
  }
}
