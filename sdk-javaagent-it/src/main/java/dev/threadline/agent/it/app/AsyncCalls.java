package dev.threadline.agent.it.app;

import java.util.concurrent.CompletableFuture;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestTemplate;

/** An {@code @Async} service that makes an HTTP call on the application's pool. */
@Service
public class AsyncCalls {
  private final RestTemplate rest = new RestTemplate();

  @Async("appExecutor")
  public CompletableFuture<String> get(String url) {
    return CompletableFuture.completedFuture(rest.getForObject(url, String.class));
  }
}
