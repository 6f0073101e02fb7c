package dev.threadline.agent.it.app;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/**
 * An {@code @Async} service: its query runs on the application's pool, not on the request thread.
 */
@Service
public class AsyncItems {
  private final JdbcTemplate jdbc;

  public AsyncItems(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Async("appExecutor")
  public CompletableFuture<Map<String, Object>> item(int id) {
    return CompletableFuture.completedFuture(
        FanoutController.onCallThread(
            jdbc.queryForMap("SELECT id, name FROM items WHERE id = ?", id)));
  }
}
