package dev.threadline.sdk.metrics;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.ServerAttributes;

/**
 * Reads the HTTP semantic-convention attributes of a span and reduces them to bounded tag values.
 *
 * <p>Both the stable attribute names and the pre-1.20 ones are read, because spans from older
 * instrumentation (and from instrumentation running in {@code
 * OTEL_SEMCONV_STABILITY_OPT_IN=http/dup} mode) still carry the old names. The stable keys come
 * from the stable semantic-conventions artifact; {@code url.template} (still experimental) and the
 * old names exist only in the incubating one, which is not a dependency, so they are declared here.
 */
final class HttpSpanAttributes {

  static final AttributeKey<String> HTTP_ROUTE = HttpAttributes.HTTP_ROUTE;
  static final AttributeKey<String> SERVER_ADDRESS = ServerAttributes.SERVER_ADDRESS;
  static final AttributeKey<String> HTTP_REQUEST_METHOD = HttpAttributes.HTTP_REQUEST_METHOD;
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE =
      HttpAttributes.HTTP_RESPONSE_STATUS_CODE;

  // Experimental: only in the incubating semantic conventions.
  static final AttributeKey<String> URL_TEMPLATE = AttributeKey.stringKey("url.template");

  // Old (pre-stable) HTTP semantic conventions.
  static final AttributeKey<String> HTTP_METHOD_OLD = AttributeKey.stringKey("http.method");
  static final AttributeKey<Long> HTTP_STATUS_CODE_OLD = AttributeKey.longKey("http.status_code");
  static final AttributeKey<String> NET_PEER_NAME_OLD = AttributeKey.stringKey("net.peer.name");

  /** Route tag value when a span carries nothing that identifies the endpoint. */
  static final String UNKNOWN_ROUTE = "UNKNOWN";

  /**
   * Method tag value for methods outside the known set, exactly as the HTTP semantic conventions
   * spell it.
   */
  static final String OTHER_METHOD = "_OTHER";

  /** Status-class tag value when no response status code was recorded (e.g. connection refused). */
  static final String NO_STATUS = "NONE";

  /** The status-class tag values, indexed by {@link #statusClassIndex}. */
  static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", NO_STATUS};

  private HttpSpanAttributes() {}

  /**
   * The raw request method, or {@code null} when the span has none: such a span is not an HTTP span
   * (a JDBC or messaging CLIENT span, say) and gets no RED metrics.
   */
  static String rawMethod(ReadableSpan span) {
    String method = span.getAttribute(HTTP_REQUEST_METHOD);
    if (method == null || method.isEmpty()) {
      method = span.getAttribute(HTTP_METHOD_OLD);
    }
    return method == null || method.isEmpty() ? null : method;
  }

  /**
   * The method tag values: the methods the HTTP semantic conventions call "known" (RFC 9110, PATCH
   * and QUERY), then {@code _OTHER}. Indexed by {@link #methodIndex}.
   */
  static final String[] METHODS = {
    "GET",
    "POST",
    "PUT",
    "DELETE",
    "HEAD",
    "OPTIONS",
    "PATCH",
    "CONNECT",
    "TRACE",
    "QUERY",
    OTHER_METHOD
  };

  /**
   * The index in {@link #METHODS} of a known method, or of {@code _OTHER} for any other. Methods
   * are case-sensitive there, so {@code "get"} is {@code _OTHER} too. This is what keeps a scanner
   * sending random verbs from creating a time series per verb.
   */
  static int methodIndex(String method) {
    switch (method) {
      case "GET":
        return 0;
      case "POST":
        return 1;
      case "PUT":
        return 2;
      case "DELETE":
        return 3;
      case "HEAD":
        return 4;
      case "OPTIONS":
        return 5;
      case "PATCH":
        return 6;
      case "CONNECT":
        return 7;
      case "TRACE":
        return 8;
      case "QUERY":
        return 9;
      default:
        return 10;
    }
  }

  /** The response status code, or {@code null} when none was recorded. */
  static Long statusCode(ReadableSpan span) {
    Long code = span.getAttribute(HTTP_RESPONSE_STATUS_CODE);
    return code != null ? code : span.getAttribute(HTTP_STATUS_CODE_OLD);
  }

  /**
   * The index in {@link #STATUS_CLASSES} of {@code code}'s class: {@code "1xx"} to {@code "5xx"};
   * {@code "NONE"} when absent or outside 100..599 (not a valid HTTP status).
   */
  static int statusClassIndex(Long code) {
    if (code == null || code < 100 || code > 599) {
      return STATUS_CLASSES.length - 1;
    }
    return (int) (code / 100) - 1;
  }

  /**
   * Server route: the templated {@code http.route} only; never the raw path, whose cardinality is
   * unbounded.
   */
  static String serverRoute(ReadableSpan span) {
    String route = span.getAttribute(HTTP_ROUTE);
    return isPresent(route) ? route : UNKNOWN_ROUTE;
  }

  /**
   * Client route: HTTP clients rarely know a route, so fall back to the URL template, then to the
   * peer host name; the host still tells apart the downstream services a caller depends on.
   */
  static String clientRoute(ReadableSpan span) {
    String route = span.getAttribute(HTTP_ROUTE);
    if (isPresent(route)) {
      return route;
    }
    route = span.getAttribute(URL_TEMPLATE);
    if (isPresent(route)) {
      return route;
    }
    route = span.getAttribute(SERVER_ADDRESS);
    if (isPresent(route)) {
      return route;
    }
    route = span.getAttribute(NET_PEER_NAME_OLD);
    return isPresent(route) ? route : UNKNOWN_ROUTE;
  }

  private static boolean isPresent(String value) {
    return value != null && !value.isEmpty();
  }
}
