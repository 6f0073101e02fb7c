package dev.threadline.bridge.node;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client may cost the node's HTTP side.
 *
 * @param readTimeout how long a request's headers may take to arrive, from its first byte; then
 *     again how long its body may take, and again how long the client may take to take the
 *     response. Past it the connection is closed.
 * @param maxConnections connections served at once (reading a request, handling it or answering
 *     it); a connection that starts a request beyond them is closed at once, and counted
 */
public record ConnectionLimits(Duration readTimeout, int maxConnections) {
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_CONNECTIONS = 256;

  public ConnectionLimits {
    Objects.requireNonNull(readTimeout, "readTimeout");
    if (readTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("the read timeout must be positive, was " + readTimeout);
    }
    if (maxConnections < 1 || maxConnections > 65536) {
      throw new IllegalArgumentException(
          "the connection limit must be in 1..65536, was " + maxConnections);
    }
  }

  /** {@value #DEFAULT_MAX_CONNECTIONS} connections, 10 s for each part of a request. */
  public static ConnectionLimits defaults() {
    return new ConnectionLimits(DEFAULT_READ_TIMEOUT, DEFAULT_MAX_CONNECTIONS);
  }
}
