package dev.threadline.bridge.node.store;

/**
 * A search over stored traces; every filter left {@code null} (or 0) matches all. Results are
 * newest first.
 *
 * @param service a service with at least one span in the trace
 * @param endpoint the root endpoint or root span name, exactly
 * @param errorsOnly only traces with at least one error span
 * @param minDurationNanos only traces at least this long
 * @param fromEpochNanos only traces starting at or after this
 * @param toEpochNanos only traces starting before this (0: no bound)
 * @param limit at most this many results
 */
public record TraceQuery(
    String service,
    String endpoint,
    boolean errorsOnly,
    long minDurationNanos,
    long fromEpochNanos,
    long toEpochNanos,
    int limit) {

  /** The most results one query returns, whatever it asks for. */
  public static final int MAX_LIMIT = 1000;

  public TraceQuery {
    if (limit <= 0 || limit > MAX_LIMIT) {
      limit = limit <= 0 ? 100 : MAX_LIMIT;
    }
    service = blankToNull(service);
    endpoint = blankToNull(endpoint);
  }

  /** Every trace, newest first, up to {@code limit}. */
  public static TraceQuery all(int limit) {
    return new TraceQuery(null, null, false, 0, 0, 0, limit);
  }

  boolean matches(TraceSummary summary) {
    return (service == null || summary.services().contains(service))
        && (endpoint == null
            || endpoint.equals(summary.rootEndpoint())
            || endpoint.equals(summary.rootName()))
        && (!errorsOnly || summary.hasError())
        && summary.durationNanos() >= minDurationNanos
        && summary.startEpochNanos() >= fromEpochNanos
        && (toEpochNanos == 0 || summary.startEpochNanos() < toEpochNanos);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
