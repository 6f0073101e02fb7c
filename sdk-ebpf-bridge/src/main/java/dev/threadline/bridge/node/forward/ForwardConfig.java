package dev.threadline.bridge.node.forward;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how the node re-sends what it receives.
 *
 * @param endpoint the full OTLP/HTTP traces URL: {@code http://tempo:4318/v1/traces}, {@code
 *     http://jaeger:4318/v1/traces}, {@code http://deepflow-agent:38086/api/v1/otel/trace}
 * @param headers extra request headers (an {@code Authorization} for a hosted backend, say)
 * @param maxQueueBytes request bodies waiting to be sent may take this much; past it new ones are
 *     dropped and counted as forward failures
 * @param timeout how long one forward request may take
 */
public record ForwardConfig(
    URI endpoint, Map<String, String> headers, long maxQueueBytes, Duration timeout) {
  public static final long DEFAULT_MAX_QUEUE_BYTES = 16L * 1024 * 1024;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  public ForwardConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
      throw new IllegalArgumentException(
          "forward endpoint must be an http(s) URL, was " + endpoint);
    }
    if (endpoint.getHost() == null) {
      throw new IllegalArgumentException("forward endpoint has no host: " + endpoint);
    }
    headers = Map.copyOf(headers);
    if (maxQueueBytes <= 0) {
      throw new IllegalArgumentException("forward queue bytes must be positive");
    }
    Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public String toString() {
    // Header values are credentials more often than not: only their names are ever shown.
    return "ForwardConfig{endpoint="
        + endpoint
        + ", headers="
        + headers.keySet()
        + ", maxQueueBytes="
        + maxQueueBytes
        + ", timeout="
        + timeout
        + "}";
  }
}
