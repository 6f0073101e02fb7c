package dev.threadline.agent.it.app;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Hands each request's outgoing call to another thread, the way services fan out; each answer names
 * the thread that made the call and the request's own thread.
 */
@RestController
public class FanoutController {
  private final AsyncItems asyncItems;
  private final ThreadPoolTaskExecutor appExecutor;
  private final ThreadPoolTaskScheduler appScheduler;
  private final SimpleAsyncTaskExecutor simpleExecutor;
  private final JdbcTemplate jdbc;
  private final RestClient restClient = RestClient.create();
  private final String self;

  public FanoutController(
      AsyncItems asyncItems,
      ThreadPoolTaskExecutor appExecutor,
      ThreadPoolTaskScheduler appScheduler,
      SimpleAsyncTaskExecutor simpleExecutor,
      JdbcTemplate jdbc,
      @Value("${server.port}") int port) {
    this.asyncItems = asyncItems;
    this.appExecutor = appExecutor;
    this.appScheduler = appScheduler;
    this.simpleExecutor = simpleExecutor;
    this.jdbc = jdbc;
    this.self = "http://127.0.0.1:" + port;
  }

  @GetMapping("/fanout/async")
  public Map<String, Object> async() throws Exception {
    return onRequestThread(asyncItems.item(42).get(10, TimeUnit.SECONDS));
  }

  @GetMapping("/fanout/pool")
  public Map<String, Object> pool() throws Exception {
    return onRequestThread(appExecutor.submit(() -> query(42)).get(10, TimeUnit.SECONDS));
  }

  @GetMapping("/fanout/simple")
  public Map<String, Object> simple() throws Exception {
    return onRequestThread(
        simpleExecutor
            .submit(
                () ->
                    onCallThread(
                        restClient.get().uri(self + "/items/42").retrieve().body(Map.class)))
            .get(10, TimeUnit.SECONDS));
  }

  @GetMapping("/fanout/scheduled")
  public Map<String, Object> scheduled() throws Exception {
    java.util.concurrent.CompletableFuture<Map<String, Object>> result =
        new java.util.concurrent.CompletableFuture<>();
    appScheduler.schedule(() -> result.complete(query(42)), Instant.now().plusMillis(20));
    return onRequestThread(result.get(10, TimeUnit.SECONDS));
  }

  private Map<String, Object> query(int id) {
    return onCallThread(jdbc.queryForMap("SELECT id, name FROM items WHERE id = ?", id));
  }

  /** The call's result with the name of the thread that made the call ({@code callThread}). */
  static Map<String, Object> onCallThread(Map<?, ?> result) {
    Map<String, Object> out = new LinkedHashMap<>();
    result.forEach((key, value) -> out.put(String.valueOf(key), value));
    out.put("callThread", Thread.currentThread().getName());
    return out;
  }

  /** Adds the name of the request's own thread ({@code requestThread}). */
  private static Map<String, Object> onRequestThread(Map<String, Object> result) {
    result.put("requestThread", Thread.currentThread().getName());
    return result;
  }
}
