package dev.threadline.agent.instrumentation.springwebflux;

import dev.threadline.agent.bootstrap.springwebflux.WebfluxRequest;
import dev.threadline.agent.bootstrap.springwebflux.WebfluxServers;
import java.net.InetSocketAddress;
import java.net.URI;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * Inlined into {@code HttpWebHandlerAdapter.handle(request, response)}: reads the request, starts
 * its SERVER span, and replaces the returned {@code Mono<Void>} by one that carries the request's
 * context and ends the span with the response.
 */
public final class HandleAdvice {
  private HandleAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static WebfluxRequest enter(
      @Advice.Argument(0) ServerHttpRequest request,
      @Advice.Argument(1) ServerHttpResponse response) {
    URI uri = request.getURI();
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
    InetSocketAddress remote = request.getRemoteAddress();
    String client = null;
    if (remote != null) {
      client =
          remote.getAddress() != null
              ? remote.getAddress().getHostAddress()
              : remote.getHostString();
    }
    return WebfluxServers.enter(
        request.getHeaders(),
        response,
        request.getMethod().name(),
        uri.getScheme(),
        uri.getHost(),
        port,
        uri.getRawPath(),
        uri.getRawQuery(),
        client,
        request.getHeaders().getFirst("User-Agent"),
        WebfluxServers.protocol(ServerHttpRequestDecorator.getNativeRequest(request)));
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter WebfluxRequest traced,
      @Advice.Origin Class<?> adapter,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown) {
    if (traced != null) {
      returned = WebfluxServers.exit(traced, adapter, returned, thrown);
    }
  }
}
