package dev.threadline.agent.it.webflux.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * {@code /probe?target=URL}: queues a task on the event loop that serves this request, which runs
 * after the loop is done with what it is doing now, and in it makes a java.net.http call to {@code
 * target}. Between requests the event loop must be in no request's context, so that call must start
 * a trace of its own.
 */
@RestController
class EventLoopProbe {
  private final HttpClient http = HttpClient.newHttpClient();

  @GetMapping("/probe")
  Mono<String> probe(ServerWebExchange exchange, @RequestParam String target) {
    Connection connection = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
    CompletableFuture<String> done = new CompletableFuture<>();
    connection
        .channel()
        .eventLoop()
        .execute(
            () -> {
              try {
                http.send(
                    HttpRequest.newBuilder(URI.create(target)).build(),
                    HttpResponse.BodyHandlers.discarding());
                done.complete(Thread.currentThread().getName());
              } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done.completeExceptionally(e);
              }
            });
    return Mono.fromFuture(done);
  }
}
