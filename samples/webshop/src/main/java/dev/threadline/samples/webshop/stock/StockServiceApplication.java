package dev.threadline.samples.webshop.stock;

import dev.threadline.samples.webshop.common.Dto;
import dev.threadline.samples.webshop.common.Services;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** stock-svc: what is on the shelves. */
@SpringBootApplication
@RestController
public class StockServiceApplication {
  private final JdbcTemplate jdbc;

  public StockServiceApplication(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public static void main(String[] args) {
    Services.run(StockServiceApplication.class, "stock-svc", args);
  }

  @GetMapping("/stock/{itemId}")
  public Dto.Stock stock(@PathVariable long itemId) {
    Integer available =
        jdbc.query(
            "SELECT available FROM stock WHERE item_id = ?",
            rs -> rs.next() ? rs.getInt(1) : 0,
            itemId);
    return new Dto.Stock(itemId, available == null ? 0 : available);
  }
}
