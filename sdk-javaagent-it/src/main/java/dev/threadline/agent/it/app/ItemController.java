package dev.threadline.agent.it.app;

import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The item service: one JDBC query to H2 through HikariCP. */
@RestController
public class ItemController {
  private final JdbcTemplate jdbc;

  public ItemController(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @GetMapping("/items/{id}")
  public Map<String, Object> item(@PathVariable int id) {
    return jdbc.queryForMap("SELECT id, name FROM items WHERE id = ?", id);
  }
}
