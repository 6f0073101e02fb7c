package dev.threadline.agent.bootstrap;

import io.opentelemetry.api.common.AttributeKey;
import java.util.Set;

/** HTTP semantic-convention attribute keys and the rules shared by server and client spans. */
final class HttpAttributes {
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> METHOD_ORIGINAL =
      AttributeKey.stringKey("http.request.method_original");
  static final AttributeKey<Long> STATUS_CODE = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
  static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
  static final AttributeKey<String> PROTOCOL_VERSION =
      AttributeKey.stringKey("network.protocol.version");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  // The methods the HTTP semantic conventions know; anything else is reported as _OTHER.
  private static final Set<String> KNOWN_METHODS =
      Set.of(
          "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY");

  private HttpAttributes() {}

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
