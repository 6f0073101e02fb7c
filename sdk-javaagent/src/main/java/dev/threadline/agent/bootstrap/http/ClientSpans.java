package dev.threadline.agent.bootstrap.http;

import dev.threadline.agent.bootstrap.AgentCallers;
import dev.threadline.agent.bootstrap.AgentTracing;
import dev.threadline.agent.bootstrap.CallDepth;
import dev.threadline.agent.bootstrap.Instrumentations;
import dev.threadline.agent.bootstrap.WeakIdentityMap;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import java.net.URI;
import java.util.function.BiPredicate;

/** CLIENT spans for the HTTP client instrumentations. */
public final class ClientSpans {
  /**
   * Nesting of HTTP client calls on this thread: a client calling another instrumented client
   * beneath it makes one span.
   */
  public static final CallDepth CALL_DEPTH = new CallDepth();

  /** Keeps every header when copying a {@code java.net.http.HttpRequest}. */
  public static final BiPredicate<String, String> ALL_HEADERS = (name, value) -> true;

  // HttpURLConnection calls arrive in pieces (connect, getOutputStream, getInputStream): the span
  // started at the first is found here at the last. Weak keys: an abandoned connection does not pin
  // its span. Lock-free reads: each call on every connection looks its span up.
  private static final WeakIdentityMap<ClientSpan> openConnections = new WeakIdentityMap<>();

  private ClientSpans() {}

  /**
   * Starts a CLIENT span for {@code method url}, child of the current context.
   *
   * @return the span, or {@code null} when the instrumentation is off or failed
   */
  public static ClientSpan start(String instrumentation, String method, String url) {
    return start(instrumentation, method, url, null);
  }

  /**
   * As {@link #start(String, String, String)}, for a client whose request holds its URL as a {@link
   * URI} already: the server's address and port are read from it, not parsed again.
   */
  public static ClientSpan start(String instrumentation, String method, URI uri) {
    return start(instrumentation, method, uri == null ? null : uri.toString(), uri);
  }

  private static ClientSpan start(String instrumentation, String method, String url, URI uri) {
    if (!Instrumentations.isEnabled(instrumentation)) {
      return null;
    }
    try {
      if (AgentCallers.calledFromAgent()) {
        return null;
      }
      boolean known = HttpRules.isKnownMethod(method);
      SpanBuilder builder =
          AgentTracing.tracer(instrumentation)
              .spanBuilder(known ? method : "HTTP")
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, known ? method : "_OTHER");
      if (!known) {
        builder.setAttribute(HttpAttributes.HTTP_REQUEST_METHOD_ORIGINAL, method);
      }
      if (url != null) {
        builder.setAttribute(UrlAttributes.URL_FULL, HttpRules.redactUserInfo(url));
        addServer(builder, uri != null ? uri : parse(url));
      }
      Context parent = Context.current();
      Span span = builder.setParent(parent).startSpan();
      return new ClientSpan(span, parent.with(span));
    } catch (Throwable t) {
      Instrumentations.failed(instrumentation, t);
      return null;
    }
  }

  private static URI parse(String url) {
    try {
      return URI.create(url);
    } catch (IllegalArgumentException e) {
      return null; // not a URI java.net understands: url.full alone still says where the call went
    }
  }

  private static void addServer(SpanBuilder builder, URI uri) {
    if (uri == null || uri.getHost() == null) {
      return;
    }
    builder.setAttribute(ServerAttributes.SERVER_ADDRESS, uri.getHost());
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
    builder.setAttribute(ServerAttributes.SERVER_PORT, (long) port);
  }

  /** The span started for a connection object, starting it on first sight. */
  public static ClientSpan forConnection(
      String instrumentation, Object connection, String method, String url) {
    ClientSpan span = openConnections.get(connection);
    if (span == null) {
      span = start(instrumentation, method, url);
      if (span != null) {
        openConnections.put(connection, span);
      }
    }
    return span;
  }

  /** The open span of a connection object, or {@code null}. */
  public static ClientSpan connection(Object connection) {
    return openConnections.get(connection);
  }

  /** Connections with an open span, for diagnostics and leak tests. */
  static int openConnections() {
    return openConnections.size();
  }

  public static boolean hasConnection(Object connection) {
    return openConnections.containsKey(connection);
  }

  /** Removes and returns the connection's span, or {@code null}. */
  public static ClientSpan takeConnection(Object connection) {
    return openConnections.remove(connection);
  }
}
