package dev.threadline.samples.webshop.item;

import dev.threadline.samples.webshop.common.Dto;
import dev.threadline.samples.webshop.common.Services;
import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** item-svc: the catalogue. */
@SpringBootApplication
@RestController
public class ItemServiceApplication {
  private static final RowMapper<Dto.Item> ITEM =
      (rs, row) -> new Dto.Item(rs.getLong("id"), rs.getString("name"), rs.getBigDecimal("price"));
  private final JdbcTemplate jdbc;

  public ItemServiceApplication(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public static void main(String[] args) {
    Services.run(ItemServiceApplication.class, "item-svc", args);
  }

  @GetMapping("/items/search")
  public List<Dto.Item> search(@RequestParam("q") String query) {
    return jdbc.query(
        "SELECT id, name, price FROM items WHERE LOWER(name) LIKE ? ORDER BY id",
        ITEM,
        "%" + query.toLowerCase(java.util.Locale.ROOT) + "%");
  }

  @GetMapping("/items/{id}")
  public Dto.Item item(@PathVariable long id) {
    return jdbc.queryForObject("SELECT id, name, price FROM items WHERE id = ?", ITEM, id);
  }
}
