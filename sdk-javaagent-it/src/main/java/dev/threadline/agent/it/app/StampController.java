package dev.threadline.agent.it.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.server.ResponseStatusException;

/**
 * One outgoing HTTP call per request, made after each kind of hand-off an application uses: on the
 * request thread, on a ThreadPoolExecutor, from a CompletableFuture's async stage, on a
 * ForkJoinPool, from an {@code @Async} method, and on a virtual thread (JDK 21+). The kernel side
 * must see each call's bytes leave in the CLIENT span the agent made for it.
 */
@RestController
public class StampController {
  private final RestTemplate rest = new RestTemplate(); // HttpURLConnection: writes on this thread
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final ForkJoinPool forkJoin = new ForkJoinPool(2);
  private final AsyncCalls asyncCalls;
  private final String self;

  public StampController(@Value("${server.port}") int port, AsyncCalls asyncCalls) {
    this.self = "http://127.0.0.1:" + port;
    this.asyncCalls = asyncCalls;
  }

  @GetMapping("/stamp/downstream")
  public String downstream(@RequestParam String marker) {
    return marker;
  }

  @GetMapping("/stamp/{handoff}")
  public String call(@PathVariable String handoff, @RequestParam String marker) throws Exception {
    String url = self + "/stamp/downstream?marker=" + marker;
    switch (handoff) {
      case "same":
        return rest.getForObject(url, String.class);
      case "pool":
        return pool.submit(() -> rest.getForObject(url, String.class)).get(10, TimeUnit.SECONDS);
      case "future":
        return CompletableFuture.supplyAsync(() -> rest.getForObject(url, String.class))
            .get(10, TimeUnit.SECONDS);
      case "forkjoin":
        return forkJoin
            .submit(() -> rest.getForObject(url, String.class))
            .get(10, TimeUnit.SECONDS);
      case "async":
        return asyncCalls.get(url).get(10, TimeUnit.SECONDS);
      case "virtual":
        ExecutorService virtual = virtualThreads();
        try {
          return virtual
              .submit(() -> rest.getForObject(url, String.class))
              .get(10, TimeUnit.SECONDS);
        } finally {
          virtual.shutdown();
        }
      default:
        throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no hand-off " + handoff);
    }
  }

  /** Executors.newVirtualThreadPerTaskExecutor(), looked up: this application builds on Java 17. */
  private static ExecutorService virtualThreads() {
    try {
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new ResponseStatusException(HttpStatus.NOT_IMPLEMENTED, "no virtual threads here");
    }
  }
}
