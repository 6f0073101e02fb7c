package dev.threadline.bridge.node.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Secondary indexes over trace summaries: service, root endpoint, error, start time and duration.
 * Guarded by the store's lock. A query starts from the smallest candidate set the filters allow and
 * checks the rest of the filters on each candidate.
 */
final class TraceIndex {
  private record Key(long value, String traceId) {}

  private static final Comparator<Key> KEY_ORDER =
      Comparator.comparingLong(Key::value).thenComparing(Key::traceId);

  private final Map<String, Set<String>> byService = new HashMap<>();
  private final Map<String, Set<String>> byEndpoint = new HashMap<>();
  private final Set<String> withErrors = new HashSet<>();
  private final NavigableSet<Key> byStart = new TreeSet<>(KEY_ORDER);
  private final NavigableSet<Key> byDuration = new TreeSet<>(KEY_ORDER);

  /**
   * Replaces a trace's entries: {@code before} null for a new trace, {@code after} null for a
   * removed one.
   */
  void update(TraceSummary before, TraceSummary after) {
    if (before != null) {
      for (String service : before.services()) {
        removeFrom(byService, service, before.traceId());
      }
      removeFrom(byEndpoint, before.rootEndpoint(), before.traceId());
      removeFrom(byEndpoint, before.rootName(), before.traceId());
      withErrors.remove(before.traceId());
      byStart.remove(new Key(before.startEpochNanos(), before.traceId()));
      byDuration.remove(new Key(before.durationNanos(), before.traceId()));
    }
    if (after != null) {
      for (String service : after.services()) {
        byService.computeIfAbsent(service, k -> new HashSet<>()).add(after.traceId());
      }
      byEndpoint.computeIfAbsent(after.rootEndpoint(), k -> new HashSet<>()).add(after.traceId());
      byEndpoint.computeIfAbsent(after.rootName(), k -> new HashSet<>()).add(after.traceId());
      if (after.hasError()) {
        withErrors.add(after.traceId());
      }
      byStart.add(new Key(after.startEpochNanos(), after.traceId()));
      byDuration.add(new Key(after.durationNanos(), after.traceId()));
    }
  }

  /** Every service name indexed, sorted. */
  List<String> services() {
    List<String> services = new ArrayList<>(byService.keySet());
    services.sort(null);
    return services;
  }

  /** Trace ids that may match, newest start first when they come from the time index. */
  Collection<String> candidates(TraceQuery query) {
    Collection<String> best = null;
    if (query.service() != null) {
      best = byService.getOrDefault(query.service(), Set.of());
    }
    if (query.endpoint() != null) {
      best = smaller(best, byEndpoint.getOrDefault(query.endpoint(), Set.of()));
    }
    if (query.errorsOnly()) {
      best = smaller(best, withErrors);
    }
    if (query.minDurationNanos() > 0) {
      NavigableSet<Key> longEnough =
          byDuration.tailSet(new Key(query.minDurationNanos(), ""), true);
      if (best == null || longEnough.size() < best.size()) {
        best = ids(longEnough);
      }
    }
    if (best != null) {
      return best;
    }
    NavigableSet<Key> range = byStart;
    if (query.fromEpochNanos() > 0) {
      range = range.tailSet(new Key(query.fromEpochNanos(), ""), true);
    }
    if (query.toEpochNanos() > 0) {
      range = range.headSet(new Key(query.toEpochNanos(), ""), false);
    }
    return ids(range.descendingSet());
  }

  private static Collection<String> smaller(Collection<String> current, Collection<String> other) {
    return current == null || other.size() < current.size() ? other : current;
  }

  private static List<String> ids(Collection<Key> keys) {
    List<String> ids = new ArrayList<>(keys.size());
    for (Key key : keys) {
      ids.add(key.traceId());
    }
    return ids;
  }

  private static void removeFrom(Map<String, Set<String>> index, String key, String traceId) {
    Set<String> ids = index.get(key);
    if (ids != null && ids.remove(traceId) && ids.isEmpty()) {
      index.remove(key);
    }
  }
}
