package dev.threadline.bridge.node.store;

import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One trace inside the store: mutable, and only ever touched under the store's lock. Span records
 * are immutable; each one's current parent sits beside it so the correlator can re-parent a span
 * without rebuilding it.
 */
final class StoredTrace {
  /**
   * Per-trace overhead beyond its spans: this object, its map and list, the summary, the index
   * entries and the store's own map entry (about 500 bytes as JOL measures them, plus the tables'
   * growth).
   */
  static final long OVERHEAD_BYTES = 640;

  // The pre-1.20 HTTP keys Kong 3.x still sends; only the incubating semantic conventions have
  // them.
  private static final String OLD_HTTP_METHOD = "http.method";
  private static final String OLD_HTTP_TARGET = "http.target";
  private static final String OLD_HTTP_URL = "http.url";

  private static final Comparator<SpanView> BY_START =
      Comparator.comparingLong((SpanView view) -> view.record().startEpochNanos())
          .thenComparing(view -> view.record().spanId());

  final String traceId;
  final long receivedEpochMillis;
  private final Map<String, Entry> spans = new LinkedHashMap<>();

  /** Trace ids merged into this one: their later spans land here too. */
  final List<String> aliases = new ArrayList<>();

  private long bytes = OVERHEAD_BYTES;
  private TraceSummary summary;

  StoredTrace(String traceId, long receivedEpochMillis) {
    this.traceId = traceId;
    this.receivedEpochMillis = receivedEpochMillis;
  }

  int spanCount() {
    return spans.size();
  }

  long bytes() {
    return bytes;
  }

  boolean contains(String spanId) {
    return spans.containsKey(spanId);
  }

  /**
   * Adds or replaces (a re-sent span replaces its first copy) a span; returns the change in bytes.
   */
  long put(SpanRecord record, String parentSpanId) {
    long added = record.estimatedBytes();
    Entry previous = spans.put(record.spanId(), new Entry(record, parentSpanId, added));
    long delta = previous == null ? added : added - previous.bytes;
    bytes += delta;
    summary = null;
    return delta;
  }

  /** Sets a span's current parent; false when the span is not in this trace. */
  boolean reparent(String spanId, String parentSpanId) {
    Entry entry = spans.get(spanId);
    if (entry == null) {
      return false;
    }
    entry.parentSpanId = parentSpanId;
    summary = null;
    return true;
  }

  /** One span as it stands now, or null. */
  SpanView view(String spanId) {
    Entry entry = spans.get(spanId);
    return entry == null ? null : new SpanView(entry.record, entry.parentSpanId);
  }

  /** The spans whose current parent is {@code parentSpanId}. */
  List<SpanView> childrenOf(String parentSpanId) {
    List<SpanView> children = new ArrayList<>();
    for (Entry entry : spans.values()) {
      if (entry.parentSpanId.equals(parentSpanId)) {
        children.add(new SpanView(entry.record, entry.parentSpanId));
      }
    }
    return children;
  }

  /** The spans in insertion order, for moving them into another trace. */
  List<SpanView> views() {
    List<SpanView> views = new ArrayList<>(spans.size());
    for (Entry entry : spans.values()) {
      views.add(new SpanView(entry.record, entry.parentSpanId));
    }
    return views;
  }

  TraceSnapshot snapshot() {
    List<SpanView> views = views();
    views.sort(BY_START);
    return new TraceSnapshot(summary(), views);
  }

  TraceSummary summary() {
    if (summary == null) {
      summary = summarize();
    }
    return summary;
  }

  private TraceSummary summarize() {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    int errors = 0;
    Set<String> services = new LinkedHashSet<>();
    Entry root = null;
    for (Entry entry : spans.values()) {
      SpanRecord span = entry.record;
      start = Math.min(start, span.startEpochNanos());
      end = Math.max(end, span.endEpochNanos());
      if (span.isError()) {
        errors++;
      }
      services.add(span.service());
      if (isRoot(entry) && (root == null || rootBefore(entry, root))) {
        root = entry;
      }
    }
    if (root == null) {
      // Every span has a parent inside the trace: a cycle, which only a bad sender makes. Show the
      // earliest.
      for (Entry entry : spans.values()) {
        if (root == null || entry.record.startEpochNanos() < root.record.startEpochNanos()) {
          root = entry;
        }
      }
    }
    SpanRecord rootSpan = root.record;
    return new TraceSummary(
        traceId,
        rootSpan.service(),
        rootSpan.name(),
        endpoint(rootSpan),
        start,
        end - start,
        spans.size(),
        errors,
        new ArrayList<>(services),
        receivedEpochMillis);
  }

  private boolean isRoot(Entry entry) {
    return entry.parentSpanId.isEmpty() || !spans.containsKey(entry.parentSpanId);
  }

  /**
   * A true root (no parent at all) beats an orphan whose parent has not arrived yet; then the
   * earlier wins.
   */
  private static boolean rootBefore(Entry candidate, Entry current) {
    boolean candidateTrue = candidate.parentSpanId.isEmpty();
    boolean currentTrue = current.parentSpanId.isEmpty();
    if (candidateTrue != currentTrue) {
      return candidateTrue;
    }
    return candidate.record.startEpochNanos() < current.record.startEpochNanos();
  }

  /**
   * {@code METHOD route} from the HTTP attributes of the current semantic conventions or the older
   * ones Kong 3.x still sends ({@code http.method}, {@code http.url}); the span name otherwise.
   */
  static String endpoint(SpanRecord span) {
    String method =
        firstNonNull(
            span.attribute(HttpAttributes.HTTP_REQUEST_METHOD.getKey()),
            span.attribute(OLD_HTTP_METHOD));
    String route =
        firstNonNull(
            span.attribute(HttpAttributes.HTTP_ROUTE.getKey()),
            span.attribute(UrlAttributes.URL_PATH.getKey()),
            span.attribute(OLD_HTTP_TARGET),
            pathOf(
                firstNonNull(
                    span.attribute(UrlAttributes.URL_FULL.getKey()),
                    span.attribute(OLD_HTTP_URL))));
    if (method == null || route == null) {
      return span.name();
    }
    int query = route.indexOf('?');
    return method + " " + (query >= 0 ? route.substring(0, query) : route);
  }

  private static String pathOf(String url) {
    if (url == null) {
      return null;
    }
    try {
      String path = URI.create(url).getRawPath();
      return path == null || path.isEmpty() ? null : path;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String firstNonNull(String... values) {
    for (String value : values) {
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return null;
  }

  private static final class Entry {
    final SpanRecord record;
    final long bytes;
    String parentSpanId;

    Entry(SpanRecord record, String parentSpanId, long bytes) {
      this.record = record;
      this.parentSpanId = parentSpanId;
      this.bytes = bytes;
    }
  }
}
