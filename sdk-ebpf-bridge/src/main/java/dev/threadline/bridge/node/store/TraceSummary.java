package dev.threadline.bridge.node.store;

import java.util.List;

/**
 * What the trace list shows of one trace, and what the store indexes it by.
 *
 * @param traceId the trace id, 32 lowercase hex digits
 * @param rootService the service of the root span
 * @param rootName the name of the root span
 * @param rootEndpoint the request the root span served ({@code GET /orders/{id}}), or its name when
 *     it is no HTTP span
 * @param startEpochNanos the earliest span start
 * @param durationNanos from the earliest start to the latest end
 * @param spanCount how many spans the trace holds
 * @param errorCount how many of them have status {@code ERROR}
 * @param services every service with a span in the trace, in order of first appearance
 * @param receivedEpochMillis when the node first received a span of the trace
 */
public record TraceSummary(
    String traceId,
    String rootService,
    String rootName,
    String rootEndpoint,
    long startEpochNanos,
    long durationNanos,
    int spanCount,
    int errorCount,
    List<String> services,
    long receivedEpochMillis) {

  public TraceSummary {
    services = List.copyOf(services);
  }

  public boolean hasError() {
    return errorCount > 0;
  }
}
