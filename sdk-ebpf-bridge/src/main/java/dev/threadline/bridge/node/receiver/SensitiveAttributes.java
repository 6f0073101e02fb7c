package dev.threadline.bridge.node.receiver;

import dev.threadline.sdk.export.SensitiveHeaders;

/**
 * Captured HTTP headers that carry credentials ({@code http.request.header.authorization}, cookies,
 * API keys) are replaced by {@value #REDACTED} before a span enters the store: the viewer and the
 * query API have no login, and the Threadline SDK redacts them for the same reason. Forwarding
 * sends the redacted request too ({@link RequestRedaction}). The rule for which headers are secret
 * is the SDK's ({@link SensitiveHeaders}).
 */
final class SensitiveAttributes {
  static final String REDACTED = SensitiveHeaders.REDACTED;

  private static final String[] HEADER_PREFIXES = {"http.request.header.", "http.response.header."};

  private SensitiveAttributes() {}

  /** Whether the attribute holds a captured header value that must not be kept. */
  static boolean isSensitive(String attributeKey) {
    for (String prefix : HEADER_PREFIXES) {
      if (attributeKey.startsWith(prefix)) {
        return SensitiveHeaders.isSensitive(attributeKey.substring(prefix.length()));
      }
    }
    return false;
  }
}
