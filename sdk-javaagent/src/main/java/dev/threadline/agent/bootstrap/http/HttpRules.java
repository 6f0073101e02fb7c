package dev.threadline.agent.bootstrap.http;

import java.util.Set;

/**
 * The HTTP semantic-convention rules shared by server and client spans (known methods, protocol
 * version, credentials in URLs). The attribute keys themselves come from {@code
 * io.opentelemetry.semconv}.
 */
final class HttpRules {
  // The methods the HTTP semantic conventions know; anything else is reported as _OTHER.
  private static final Set<String> KNOWN_METHODS =
      Set.of(
          "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY");

  private HttpRules() {}

  static boolean isKnownMethod(String method) {
    return method != null && KNOWN_METHODS.contains(method);
  }

  /** {@code HTTP/1.1} → {@code 1.1}. */
  static String protocolVersion(String protocol) {
    if (protocol == null) {
      return null;
    }
    int slash = protocol.indexOf('/');
    return slash >= 0 ? protocol.substring(slash + 1) : protocol;
  }

  /** Removes credentials from a URL, as the semantic conventions require for {@code url.full}. */
  static String redactUserInfo(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return url;
    }
    int authorityStart = scheme + 3;
    int authorityEnd = url.length();
    for (int i = authorityStart; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        authorityEnd = i;
        break;
      }
    }
    int at = url.lastIndexOf('@', authorityEnd - 1);
    if (at < authorityStart) {
      return url;
    }
    return url.substring(0, authorityStart) + "REDACTED:REDACTED" + url.substring(at);
  }
}
