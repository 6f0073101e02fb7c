package dev.threadline.bridge.node.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The node's bounded in-memory trace store: spans grouped by trace id, indexed by service, root
 * endpoint, error, start time and duration, and bounded by estimated bytes and by age. When a limit
 * is passed the traces received first go first, whole, and the evicted spans are counted.
 *
 * <p>Spans are immutable {@link SpanRecord}s; the store keeps each one's current parent beside it.
 * That is what the correlator needs to join kernel (S) spans into application traces later: {@link
 * #reparent} hangs a span under another, {@link #merge} moves a whole trace into another (and sends
 * its later spans there too).
 *
 * <p>Thread-safe: one lock around everything. Ingest on a node is thousands of spans a second at
 * most, and a single lock keeps the trace map, the byte count and the indexes consistent with each
 * other.
 */
public final class TraceStore {
  private final StoreLimits limits;
  private final LongSupplier clockMillis;
  private final LongConsumer evictedSpansListener;

  /** Insertion order is the order traces were first received: the head is evicted first. */
  private final LinkedHashMap<String, StoredTrace> traces = new LinkedHashMap<>();

  private final Map<String, String> aliases = new HashMap<>();
  private final TraceIndex index = new TraceIndex();
  private long bytes;
  private long spanCount;
  private long evictedTraces;
  private long evictedSpans;

  /**
   * @param limits what the store may hold
   * @param clockMillis the wall clock, in epoch milliseconds (tests pass their own)
   * @param evictedSpansListener told how many spans each eviction removed (for the node's metrics)
   */
  public TraceStore(
      StoreLimits limits, LongSupplier clockMillis, LongConsumer evictedSpansListener) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    this.evictedSpansListener =
        Objects.requireNonNull(evictedSpansListener, "evictedSpansListener");
  }

  /** A store on the system clock that counts evictions only itself. */
  public static TraceStore create(StoreLimits limits) {
    return new TraceStore(limits, System::currentTimeMillis, n -> {});
  }

  /**
   * What one {@link #add} did with each span it was given: {@code stored + duplicates + rejected}
   * is the number of spans given.
   *
   * @param stored spans new to the store
   * @param duplicates spans whose id their trace already held (a retried export): the new copy
   *     replaces the old one, and the store holds one span as before
   * @param rejected spans refused because their trace already holds the most spans one trace may
   */
  public record AddResult(int stored, int duplicates, int rejected) {}

  /** Stores spans, then evicts what the limits require. */
  public synchronized AddResult add(Collection<SpanRecord> spans) {
    long now = clockMillis.getAsLong();
    int stored = 0;
    int duplicates = 0;
    int rejected = 0;
    Map<StoredTrace, TraceSummary> touched = new LinkedHashMap<>();
    for (SpanRecord span : spans) {
      String traceId = aliases.getOrDefault(span.traceId(), span.traceId());
      StoredTrace trace = traces.get(traceId);
      if (trace == null) {
        trace = new StoredTrace(traceId, now);
        traces.put(traceId, trace);
        bytes += trace.bytes();
        touched.put(trace, null);
      } else if (!touched.containsKey(trace)) {
        touched.put(trace, trace.summary());
      }
      if (trace.contains(span.spanId())) {
        duplicates++;
      } else if (trace.spanCount() >= limits.maxSpansPerTrace()) {
        rejected++;
        continue;
      } else {
        stored++;
        spanCount++;
      }
      bytes += trace.put(span, span.parentSpanId());
    }
    for (Map.Entry<StoredTrace, TraceSummary> entry : touched.entrySet()) {
      StoredTrace trace = entry.getKey();
      if (trace.spanCount() == 0) {
        // Only rejected spans: the trace was never really there.
        traces.remove(trace.traceId);
        bytes -= trace.bytes();
        continue;
      }
      index.update(entry.getValue(), trace.summary());
    }
    evict(now);
    return new AddResult(stored, duplicates, rejected);
  }

  /** The trace with this id (or merged into the trace with it), if still stored. */
  public synchronized Optional<TraceSnapshot> get(String traceId) {
    evict(clockMillis.getAsLong());
    StoredTrace trace = traces.get(aliases.getOrDefault(traceId, traceId));
    return trace == null ? Optional.empty() : Optional.of(trace.snapshot());
  }

  /** Summaries of the traces matching {@code query}, newest start first. */
  public synchronized List<TraceSummary> query(TraceQuery query) {
    evict(clockMillis.getAsLong());
    List<TraceSummary> matches = new ArrayList<>();
    boolean ordered =
        query.service() == null
            && query.endpoint() == null
            && !query.errorsOnly()
            && query.minDurationNanos() <= 0;
    for (String traceId : index.candidates(query)) {
      TraceSummary summary = traces.get(traceId).summary();
      if (query.matches(summary)) {
        matches.add(summary);
        if (ordered && matches.size() >= query.limit()) {
          // Candidates from the time index come newest first: the first matches are the answer.
          return matches;
        }
      }
    }
    matches.sort(
        (a, b) -> {
          int byStart = Long.compare(b.startEpochNanos(), a.startEpochNanos());
          return byStart != 0 ? byStart : a.traceId().compareTo(b.traceId());
        });
    return matches.size() > query.limit()
        ? new ArrayList<>(matches.subList(0, query.limit()))
        : matches;
  }

  /**
   * The id a trace is stored under now: {@code traceId} itself, or the trace it was merged into.
   */
  public synchronized String canonicalTraceId(String traceId) {
    return aliases.getOrDefault(traceId, traceId);
  }

  /** One span as it stands now (its current parent), if its trace is stored and holds it. */
  public synchronized Optional<SpanView> span(String traceId, String spanId) {
    StoredTrace trace = traces.get(aliases.getOrDefault(traceId, traceId));
    return Optional.ofNullable(trace == null ? null : trace.view(spanId));
  }

  /** The spans of a trace whose current parent is {@code parentSpanId}; empty when none. */
  public synchronized List<SpanView> children(String traceId, String parentSpanId) {
    StoredTrace trace = traces.get(aliases.getOrDefault(traceId, traceId));
    return trace == null ? List.of() : trace.childrenOf(parentSpanId);
  }

  /** Every service with a span in the store, sorted. */
  public synchronized List<String> services() {
    return index.services();
  }

  /**
   * Hangs span {@code spanId} of trace {@code traceId} under {@code newParentSpanId} ({@code ""}:
   * makes it a root). The span's record keeps the parent its sender gave it.
   *
   * @return false when the trace or span is not stored
   */
  public synchronized boolean reparent(String traceId, String spanId, String newParentSpanId) {
    StoredTrace trace = traces.get(aliases.getOrDefault(traceId, traceId));
    if (trace == null) {
      return false;
    }
    TraceSummary before = trace.summary();
    if (!trace.reparent(spanId, Objects.requireNonNull(newParentSpanId, "newParentSpanId"))) {
      return false;
    }
    index.update(before, trace.summary());
    return true;
  }

  /**
   * Moves every span of trace {@code fromTraceId} into trace {@code intoTraceId} (created if
   * absent), keeping their current parents, and sends spans that arrive later with {@code
   * fromTraceId} there too.
   *
   * @return false when {@code fromTraceId} is not stored or is the same trace
   */
  public synchronized boolean merge(String fromTraceId, String intoTraceId) {
    return merge(fromTraceId, intoTraceId, false);
  }

  /**
   * As {@link #merge}, for a trace whose id this node made up and no sender ever used (the
   * correlator's traces of S spans only): its spans take the id of the trace they move into, the
   * one they are forwarded with, instead of keeping one that means nothing outside the node.
   */
  public synchronized boolean mergeMinted(String fromTraceId, String intoTraceId) {
    return merge(fromTraceId, intoTraceId, true);
  }

  private boolean merge(String fromTraceId, String intoTraceId, boolean minted) {
    String from = aliases.getOrDefault(fromTraceId, fromTraceId);
    String into = aliases.getOrDefault(intoTraceId, intoTraceId);
    StoredTrace source = traces.get(from);
    if (source == null || from.equals(into)) {
      return false;
    }
    StoredTrace target = traces.get(into);
    TraceSummary targetBefore = null;
    if (target == null) {
      target = new StoredTrace(into, source.receivedEpochMillis);
      traces.put(into, target);
      bytes += target.bytes();
    } else {
      targetBefore = target.summary();
    }
    index.update(source.summary(), null);
    traces.remove(from);
    bytes -= source.bytes();
    for (SpanView view : source.views()) {
      if (target.contains(view.record().spanId())) {
        spanCount--;
      }
      SpanRecord record = minted ? view.record().withTraceId(into) : view.record();
      bytes += target.put(record, view.parentSpanId());
    }
    index.update(targetBefore, target.summary());
    aliases.put(from, into);
    target.aliases.add(from);
    for (String alias : source.aliases) {
      aliases.put(alias, into);
      target.aliases.add(alias);
    }
    evict(clockMillis.getAsLong());
    return true;
  }

  /** The estimated bytes held now. */
  public synchronized long bytes() {
    return bytes;
  }

  public synchronized int traceCount() {
    return traces.size();
  }

  public synchronized long spanCount() {
    return spanCount;
  }

  public synchronized long evictedTraces() {
    return evictedTraces;
  }

  public synchronized long evictedSpans() {
    return evictedSpans;
  }

  public StoreLimits limits() {
    return limits;
  }

  /** Oldest first: the traces past the age limit, then as many more as the byte limit needs. */
  private void evict(long nowMillis) {
    long oldestKept = nowMillis - limits.maxAge().toMillis();
    long spans = 0;
    Iterator<StoredTrace> oldestFirst = traces.values().iterator();
    while (oldestFirst.hasNext()) {
      StoredTrace trace = oldestFirst.next();
      if (trace.receivedEpochMillis >= oldestKept && bytes <= limits.maxBytes()) {
        break;
      }
      oldestFirst.remove();
      index.update(trace.summary(), null);
      for (String alias : trace.aliases) {
        aliases.remove(alias);
      }
      bytes -= trace.bytes();
      spanCount -= trace.spanCount();
      spans += trace.spanCount();
      evictedTraces++;
    }
    if (spans > 0) {
      evictedSpans += spans;
      evictedSpansListener.accept(spans);
    }
  }
}
