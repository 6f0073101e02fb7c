package dev.threadline.agent.it.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A JDBC-heavy request, the shape the whole-process overhead benchmark measures: {@value #QUERIES}
 * SELECTs through JdbcTemplate (HikariCP, H2) in one controller method, so that a traced request
 * makes a server span, a controller span and {@value #QUERIES} JDBC client spans.
 */
@RestController
public class ReportController {
  /** How many SELECTs one report makes. */
  static final int QUERIES = 11;

  private final JdbcTemplate jdbc;

  public ReportController(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @GetMapping("/report")
  public Map<String, Object> report() {
    List<String> names = new ArrayList<>(QUERIES);
    for (int i = 0; i < QUERIES; i++) {
      names.add(jdbc.queryForObject("SELECT name FROM items WHERE id = ?", String.class, 42));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("queries", QUERIES);
    out.put("names", names);
    return out;
  }
}
