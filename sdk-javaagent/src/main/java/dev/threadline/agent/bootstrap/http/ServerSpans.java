package dev.threadline.agent.bootstrap.http;

import dev.threadline.agent.bootstrap.AgentLog;
import dev.threadline.agent.bootstrap.AgentTracing;
import dev.threadline.agent.bootstrap.ContextSwitch;
import dev.threadline.agent.bootstrap.Instrumentations;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * SERVER spans for the servlet instrumentation. Advice reads the request (it runs inside the
 * application's class loader, where the servlet API is) and passes plain values here.
 */
public final class ServerSpans {
  public static final String INSTRUMENTATION = "servlet";

  /**
   * Request attribute holding the {@link ServerSpan}: marks the request as traced for nested
   * filters.
   */
  public static final String REQUEST_ATTRIBUTE = "dev.threadline.agent.ServerSpan";

  private static volatile String[] propagationHeaders;

  /**
   * The request a servlet container is serving on this thread, when the container tells (see {@link
   * #containerEnter()}): its SERVER span then ends after the container wrote the response.
   */
  private static final ThreadLocal<ContainerRequest> containerRequest = new ThreadLocal<>();

  /** What the container still has to do for a request whose servlet returned. */
  private static final class ContainerRequest {
    int depth;
    ServerSpan span;
    int status;
    Throwable thrown;
  }

  private ServerSpans() {}

  /**
   * A servlet container begins serving a request on this thread (Tomcat's {@code
   * CoyoteAdapter.service}). Until {@link #containerExit()}, a synchronous request's SERVER span is
   * left open when the servlet returns, so that the response the container writes afterwards
   * (buffered bodies are flushed only then) is written inside it.
   */
  public static void containerEnter() {
    ContainerRequest request = containerRequest.get();
    if (request == null) {
      request = new ContainerRequest();
      containerRequest.set(request);
    }
    request.depth++;
  }

  /**
   * Called where the servlet returned: hands the span's end to the container when one is serving
   * this request; returns false (end it now) otherwise.
   */
  public static boolean deferToContainer(ServerSpan span, int status, Throwable thrown) {
    ContainerRequest request = containerRequest.get();
    if (request == null || request.depth == 0 || request.span != null) {
      return false;
    }
    span.fixRoute();
    request.span = span;
    request.status = status;
    request.thrown = thrown;
    return true;
  }

  /**
   * The container writes the rest of the response (Tomcat's {@code Response.finishResponse}): makes
   * the deferred SERVER span current until the returned scope closes; null when none.
   */
  public static Scope containerFinishing() {
    ContainerRequest request = containerRequest.get();
    return request == null || request.span == null ? null : resume(request.span);
  }

  /** The container is done with the request: ends its deferred SERVER span, if any. */
  public static void containerExit() {
    ContainerRequest request = containerRequest.get();
    if (request == null || request.depth == 0) {
      return;
    }
    if (--request.depth == 0 && request.span != null) {
      ServerSpan span = request.span;
      request.span = null;
      Throwable thrown = request.thrown;
      request.thrown = null;
      span.end(request.status, thrown);
    }
  }

  /** The header names the configured propagators read; advice looks each one up on the request. */
  public static String[] propagationHeaders() {
    String[] headers = propagationHeaders;
    if (headers == null) {
      Collection<String> fields = AgentTracing.propagator().fields();
      List<String> names = new ArrayList<>(fields);
      headers = names.toArray(new String[0]);
      propagationHeaders = headers;
    }
    return headers;
  }

  /** Reset when the propagators change (installation). */
  public static void resetPropagationHeaders() {
    propagationHeaders = null;
  }

  /**
   * Starts the SERVER span of a request and makes it current, from one value per propagation header
   * (the first, when a header is repeated; prefer {@link #start(String[], String[][], String,
   * String, String, int, String, String, String, String, String)}, which sees them all).
   *
   * @param headerValues the values of {@link #propagationHeaders()}, same order, {@code null} where
   *     absent
   * @return the span, or {@code null} when the instrumentation is off or failed
   */
  public static ServerSpan start(
      String[] headerNames,
      String[] headerValues,
      String method,
      String scheme,
      String serverAddress,
      int serverPort,
      String path,
      String query,
      String clientAddress,
      String userAgent,
      String protocol) {
    return start(
        headerNames,
        RequestHeaders.single(headerValues),
        method,
        scheme,
        serverAddress,
        serverPort,
        path,
        query,
        clientAddress,
        userAgent,
        protocol);
  }

  /**
   * Starts the SERVER span of a request and makes it current.
   *
   * @param headerValues every value of each of {@link #propagationHeaders()}, same order, {@code
   *     null} or empty where absent (see {@link RequestHeaders})
   * @return the span, or {@code null} when the instrumentation is off or failed
   */
  public static ServerSpan start(
      String[] headerNames,
      String[][] headerValues,
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
      Context parent = RequestHeaders.extract(Context.current(), headerNames, headerValues);
      Span span =
          ServerSpanStart.span(
              INSTRUMENTATION,
              parent,
              method,
              scheme,
              serverAddress,
              serverPort,
              path,
              query,
              clientAddress,
              userAgent,
              protocol);
      // The extracted context with the span in it (the caller's baggage stays current too). Its
      // scope puts the request thread back into the context it had before, even when the
      // application left a scope of its own open (its OpenTelemetry API is the agent's).
      Context previous = Context.current();
      ContextSwitch.to(parent.with(span));
      Scope restore =
          () -> {
            if (Context.current() != previous) {
              ContextSwitch.to(previous);
            }
          };
      return new ServerSpan(span, restore, method);
    } catch (Throwable t) {
      Instrumentations.failed(INSTRUMENTATION, t);
      return null;
    }
  }

  /**
   * Makes a traced request's span current again, for a dispatch on another thread (async) or after
   * the request's own scope closed (error); {@code null} within that scope (a nested filter on the
   * request thread) or when it already is current.
   */
  public static Scope resume(Object serverSpan) {
    if (!(serverSpan instanceof ServerSpan)) {
      return null;
    }
    ServerSpan server = (ServerSpan) serverSpan;
    Span span = server.span();
    // Within the request's own scope (a nested filter or servlet) what the filters before made
    // current stays: a span the application made current (Micrometer's observation filter) is the
    // parent of what follows.
    if (server.scopeOpenOn(Thread.currentThread()) || Span.current() == span) {
      return null;
    }
    return Context.current().with(span).makeCurrent();
  }

  /**
   * Names the request's span after its route; {@code serverSpan} is the request attribute's value.
   */
  public static void setRoute(Object serverSpan, Object route) {
    if (serverSpan instanceof ServerSpan && route != null) {
      ((ServerSpan) serverSpan).setRoute(route.toString());
    }
  }

  /**
   * A servlet {@code AsyncListener} (made as a proxy of the application's own interface, since the
   * servlet API is not visible from here) that ends the span when the asynchronous request really
   * completes.
   */
  public static Object asyncListener(Class<?> listenerInterface, ServerSpan span) {
    return Proxy.newProxyInstance(
        listenerInterface.getClassLoader(), new Class<?>[] {listenerInterface}, new AsyncEnd(span));
  }

  /** Ends the span from the servlet's async events, reading the event reflectively. */
  private static final class AsyncEnd implements InvocationHandler {
    private final ServerSpan span;

    AsyncEnd(ServerSpan span) {
      this.span = span;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      switch (method.getName()) {
        case "onComplete":
          span.end(status(args[0]), null);
          return null;
        case "onError":
          span.end(status(args[0]), (Throwable) call(args[0], "getThrowable"));
          return null;
        case "onTimeout":
          span.end(504, null);
          return null;
        case "onStartAsync":
          // A new startAsync clears listeners; register again to still see the end.
          Object asyncContext = call(args[0], "getAsyncContext");
          if (asyncContext != null) {
            callWith(asyncContext, "addListener", proxy);
          }
          return null;
        case "hashCode":
          return System.identityHashCode(proxy);
        case "equals":
          return proxy == args[0];
        case "toString":
          return "ThreadlineAsyncListener";
        default:
          return null;
      }
    }

    private static int status(Object event) {
      Object response = call(event, "getSuppliedResponse");
      Object status = response == null ? null : call(response, "getStatus");
      return status instanceof Integer ? (Integer) status : 0;
    }

    private static Object call(Object target, String name) {
      try {
        Method method = target.getClass().getMethod(name);
        method.setAccessible(true);
        return method.invoke(target);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }

    private static void callWith(Object target, String name, Object argument) {
      try {
        for (Method method : target.getClass().getMethods()) {
          if (method.getName().equals(name) && method.getParameterCount() == 1) {
            method.setAccessible(true);
            method.invoke(target, argument);
            return;
          }
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        AgentLog.debug("could not re-register the async listener: " + e);
      }
    }
  }
}
