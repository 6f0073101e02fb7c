package dev.threadline.sdk.metrics;

/** The two span kinds that get RED metrics, with what differs between them. */
enum SpanKindMeter {
  SERVER(
      RedMetrics.SERVER_DURATION,
      "Duration of HTTP requests served, from SERVER spans",
      "server",
      500),
  CLIENT(
      RedMetrics.CLIENT_DURATION,
      "Duration of outgoing HTTP requests, from CLIENT spans",
      "client",
      400);

  final String meterName;
  final String description;
  final String tagValue;

  /**
   * Lowest status code that counts as an error. The HTTP semantic conventions differ by side: a 4xx
   * is the caller's fault, so it is an error for the client but not for the server that correctly
   * rejected the request.
   */
  final long errorStatusFrom;

  SpanKindMeter(String meterName, String description, String tagValue, long errorStatusFrom) {
    this.meterName = meterName;
    this.description = description;
    this.tagValue = tagValue;
    this.errorStatusFrom = errorStatusFrom;
  }
}
