package dev.threadline.agent.bootstrap.springwebflux;

import dev.threadline.agent.bootstrap.HelperClasses;
import dev.threadline.agent.bootstrap.Instrumentations;
import dev.threadline.agent.bootstrap.http.DetachedServerSpans;
import dev.threadline.agent.bootstrap.http.ServerSpan;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SERVER spans of Spring WebFlux requests and the WebClient filter, for the {@code spring-webflux}
 * advice. The advice reads plain values off Spring's objects; what must implement Reactor or Spring
 * types (the operator that ends the span, the exchange filter) is a helper class, one per
 * application loader.
 */
public final class WebfluxServers {
  public static final String INSTRUMENTATION = "spring-webflux";

  private static final String SERVER_TRACING =
      "dev.threadline.agent.instrumentation.springwebflux.helpers.ServerHandleTracing";
  private static final String ADD_FILTER =
      "dev.threadline.agent.instrumentation.springwebflux.helpers.AddClientFilter";

  /** The request whose handling runs on this thread, between handle's entry and its exit. */
  private static final ThreadLocal<WebfluxRequest> handling = new ThreadLocal<>();

  private static final ClassValue<Object> serverTracing = helper(SERVER_TRACING);
  private static final ClassValue<Object> addFilter = helper(ADD_FILTER);

  /**
   * How to read the protocol off a server's native request ({@code version()}, {@code
   * getProtocol()}).
   */
  private static final ClassValue<Optional<Method>> protocolMethod =
      new ClassValue<>() {
        @Override
        protected Optional<Method> computeValue(Class<?> type) {
          for (String name : new String[] {"version", "getProtocol"}) {
            try {
              Method method = type.getMethod(name);
              // Reactor Netty's request class is not public; its public methods are still open.
              method.trySetAccessible();
              return Optional.of(method);
            } catch (NoSuchMethodException | SecurityException e) {
              // try the next name
            }
          }
          return Optional.empty();
        }
      };

  private WebfluxServers() {}

  /**
   * The protocol of a request, as {@code HTTP/1.1}, read off the server's native request (Reactor
   * Netty's {@code HttpServerRequest.version()}, a servlet request's {@code getProtocol()}); {@code
   * null} when unknown.
   */
  public static String protocol(Object nativeRequest) {
    if (nativeRequest == null) {
      return null;
    }
    try {
      Optional<Method> method = protocolMethod.get(nativeRequest.getClass());
      if (method.isEmpty()) {
        return null;
      }
      Object version = method.get().invoke(nativeRequest);
      return version == null ? null : version.toString();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * A request enters WebFlux ({@code HttpWebHandlerAdapter.handle}): starts its SERVER span from
   * the propagation headers, or joins the span already current (a servlet container's), and makes
   * its context current until {@link #exit}.
   *
   * @param headers the request's {@code HttpHeaders}
   * @return the request, or {@code null} when the instrumentation is off or failed
   */
  public static WebfluxRequest enter(
      Map<String, List<String>> headers,
      Object response,
      String method,
      String scheme,
      String serverAddress,
      int serverPort,
      String path,
      String query,
      String clientAddress,
      String userAgent,
      String protocol) {
    if (!Instrumentations.isEnabled(INSTRUMENTATION)) {
      return null;
    }
    try {
      WebfluxRequest request;
      if (Span.current().getSpanContext().isValid()) {
        // Served through a servlet container: its SERVER span stands for the request.
        request = new WebfluxRequest(null, Context.current(), response);
      } else {
        ServerSpan span =
            DetachedServerSpans.start(
                INSTRUMENTATION,
                headers,
                HeadersGetter.INSTANCE,
                method,
                scheme,
                serverAddress,
                serverPort,
                path,
                query,
                clientAddress,
                userAgent,
                protocol);
        if (span == null) {
          return null;
        }
        request = new WebfluxRequest(span, Context.root().with(span.span()), response);
      }
      request.enter();
      handling.set(request);
      return request;
    } catch (Throwable t) {
      Instrumentations.failed(INSTRUMENTATION, t);
      return null;
    }
  }

  /** The exchange of the request being handled on this thread was made: keep its attributes. */
  public static void exchangeCreated(Map<String, Object> attributes) {
    WebfluxRequest request = handling.get();
    if (request != null) {
      request.attributes(attributes);
    }
  }

  /**
   * {@code handle} returned: leaves the request's context on this thread and returns the {@code
   * Mono<Void>} that carries it to the handling chain and ends the span with the response (the
   * given one when tracing it failed).
   */
  public static Object exit(
      WebfluxRequest request, Class<?> adapter, Object mono, Throwable error) {
    handling.remove();
    request.exit();
    if (error != null || mono == null) {
      request.end(500, error);
      return mono;
    }
    try {
      return ((ServerTracing) serverTracing.get(adapter)).traced(mono, request);
    } catch (Throwable t) {
      Instrumentations.failed(INSTRUMENTATION, t);
      request.end(0, null);
      return mono;
    }
  }

  /**
   * The {@code Consumer<List<ExchangeFilterFunction>>} that adds the tracing filter to a WebClient
   * being built (once), or {@code null} when the instrumentation is off or failed.
   */
  public static Object clientFilterAdder(Class<?> builder) {
    if (!Instrumentations.isEnabled(INSTRUMENTATION)) {
      return null;
    }
    try {
      return addFilter.get(builder);
    } catch (Throwable t) {
      Instrumentations.failed(INSTRUMENTATION, t);
      return null;
    }
  }

  private static ClassValue<Object> helper(String name) {
    return new ClassValue<>() {
      @Override
      protected Object computeValue(Class<?> type) {
        try {
          return HelperClasses.newInstance(type.getClassLoader(), name);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot make " + name, e);
        }
      }
    };
  }
}
