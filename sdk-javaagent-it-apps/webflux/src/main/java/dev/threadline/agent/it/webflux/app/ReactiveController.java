package dev.threadline.agent.it.webflux.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Each endpoint calls {@code /downstream/{name}} once per item, from a different place of a
 * reactive chain, and answers what the downstream said followed by the thread the call was made
 * from ({@code down:direct@reactor-http-epoll-2}).
 */
@RestController
class ReactiveController {
  private final WebClient client;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;

  ReactiveController(WebClient.Builder builder, @Value("${server.port}") int port) {
    this.base = "http://127.0.0.1:" + port;
    this.client = builder.baseUrl(base).build();
  }

  @GetMapping("/downstream/{name}")
  Mono<String> downstream(@PathVariable String name) {
    return Mono.just("down:" + name);
  }

  /** WebClient straight from the handler. */
  @GetMapping("/direct")
  Mono<String> direct() {
    return call("direct");
  }

  /** WebClient after the chain moved to the parallel scheduler. */
  @GetMapping("/publish-on")
  Mono<String> publishOn() {
    return Mono.fromSupplier(() -> "publish-on")
        .publishOn(Schedulers.parallel())
        .flatMap(this::call);
  }

  /** WebClient subscribed to on a boundedElastic thread. */
  @GetMapping("/subscribe-on")
  Mono<String> subscribeOn() {
    return Mono.defer(() -> call("subscribe-on")).subscribeOn(Schedulers.boundedElastic());
  }

  /** Four WebClient calls, each after a hop to the parallel or the boundedElastic scheduler. */
  @GetMapping("/flat-map")
  Mono<String> flatMap() {
    return Flux.range(0, 4)
        .flatMap(
            i ->
                Mono.fromSupplier(() -> "flat-map-" + i)
                    .publishOn(i % 2 == 0 ? Schedulers.parallel() : Schedulers.boundedElastic())
                    .flatMap(this::call))
        .collectSortedList()
        .map(List::toString);
  }

  /** WebClient after a CompletableFuture completed on another thread. */
  @GetMapping("/from-future")
  Mono<String> fromFuture() {
    return Mono.fromFuture(CompletableFuture.supplyAsync(() -> "from-future")).flatMap(this::call);
  }

  /** A blocking java.net.http call inside a map on a boundedElastic thread. */
  @GetMapping("/blocking-http")
  Mono<String> blockingHttp() {
    return Mono.fromSupplier(() -> "blocking-http")
        .publishOn(Schedulers.boundedElastic())
        .map(this::blockingCall);
  }

  /** A handler that fails after a hop: Spring answers 500. */
  @GetMapping("/fail")
  Mono<String> fail() {
    return Mono.fromSupplier(() -> "fail")
        .publishOn(Schedulers.parallel())
        .map(
            x -> {
              throw new IllegalStateException("failing on purpose");
            });
  }

  private Mono<String> call(String name) {
    String thread = Thread.currentThread().getName();
    return client
        .get()
        .uri("/downstream/{name}", name)
        .retrieve()
        .bodyToMono(String.class)
        .map(body -> body + "@" + thread);
  }

  private String blockingCall(String name) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/downstream/" + name)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.body() + "@" + Thread.currentThread().getName();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
