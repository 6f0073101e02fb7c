package dev.threadline.agent.bootstrap.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

  // Span names by route, then by method, for the routes an application has (a few dozen): a name
  // is made once, not concatenated per request. Past this many routes, names are made each time.
  private static final int MAX_NAMED_ROUTES = 512;
  private static final ConcurrentHashMap<String, ConcurrentHashMap<String, String>> namesByRoute =
      new ConcurrentHashMap<>();

  /** {@code GET /items/{id}}; {@code HTTP /items/{id}} for a method the conventions do not know. */
  static String serverSpanName(String method, String route) {
    String known = isKnownMethod(method) ? method : "HTTP";
    ConcurrentHashMap<String, String> byMethod = namesByRoute.get(route);
    if (byMethod == null) {
      if (namesByRoute.size() >= MAX_NAMED_ROUTES) {
        return known + " " + route;
      }
      byMethod = namesByRoute.computeIfAbsent(route, r -> new ConcurrentHashMap<>(4));
    }
    String name = byMethod.get(known);
    if (name == null) {
      // At most the ten known methods and HTTP per route.
      name = byMethod.computeIfAbsent(known, m -> m + " " + route);
    }
    return name;
  }

  /** {@code HTTP/1.1} → {@code 1.1}. */
  static String protocolVersion(String protocol) {
    if (protocol == null) {
      return null;
    }
    // The versions nearly every request has, without a substring each time.
    if ("HTTP/1.1".equals(protocol)) {
      return "1.1";
    }
    if ("HTTP/2.0".equals(protocol)) {
      return "2.0";
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
