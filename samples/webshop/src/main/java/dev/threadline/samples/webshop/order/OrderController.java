package dev.threadline.samples.webshop.order;

import dev.threadline.samples.webshop.common.Dto;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.server.ResponseStatusException;

/**
 * Creating an order checks every item and its stock in parallel on a thread pool, then writes the
 * order with JDBC from a pool thread: the two broken-chain cases, on purpose.
 */
@RestController
public class OrderController {
  private final JdbcTemplate jdbc;
  private final ExecutorService pool;
  private final RestClient items;
  private final RestClient stock;

  public OrderController(
      JdbcTemplate jdbc,
      ExecutorService orderPool,
      @Qualifier("itemClient") RestClient items,
      @Qualifier("stockClient") RestClient stock) {
    this.jdbc = jdbc;
    this.pool = orderPool;
    this.items = items;
    this.stock = stock;
  }

  @PostMapping("/carts/{userId}/items")
  public void addToCart(@PathVariable long userId, @RequestBody Dto.CartLine line) {
    jdbc.update("INSERT INTO cart_items (user_id, item_id) VALUES (?, ?)", userId, line.itemId());
  }

  @PostMapping("/orders")
  public Dto.Order create(@RequestBody Dto.OrderRequest request) {
    List<Long> itemIds =
        jdbc.queryForList(
            "SELECT item_id FROM cart_items WHERE user_id = ? ORDER BY id",
            Long.class,
            request.userId());
    if (itemIds.isEmpty()) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "the cart is empty");
    }
    List<CompletableFuture<Dto.Item>> itemChecks = new ArrayList<>();
    List<CompletableFuture<Dto.Stock>> stockChecks = new ArrayList<>();
    for (long itemId : itemIds) {
      itemChecks.add(
          CompletableFuture.supplyAsync(
              () -> items.get().uri("/items/{id}", itemId).retrieve().body(Dto.Item.class), pool));
      stockChecks.add(
          CompletableFuture.supplyAsync(
              () -> stock.get().uri("/stock/{id}", itemId).retrieve().body(Dto.Stock.class), pool));
    }
    BigDecimal total = BigDecimal.ZERO;
    for (int i = 0; i < itemIds.size(); i++) {
      if (stockChecks.get(i).join().available() <= 0) {
        throw new ResponseStatusException(
            HttpStatus.CONFLICT, "item " + itemIds.get(i) + " is out of stock");
      }
      total = total.add(itemChecks.get(i).join().price());
    }
    BigDecimal orderTotal = total;
    long orderId =
        CompletableFuture.supplyAsync(() -> writeOrder(request.userId(), orderTotal), pool).join();
    return new Dto.Order(orderId, request.userId(), itemIds, orderTotal);
  }

  private long writeOrder(long userId, BigDecimal total) {
    GeneratedKeyHolder key = new GeneratedKeyHolder();
    jdbc.update(
        connection -> {
          var insert =
              connection.prepareStatement(
                  "INSERT INTO orders (user_id, total) VALUES (?, ?)", new String[] {"id"});
          insert.setLong(1, userId);
          insert.setBigDecimal(2, total);
          return insert;
        },
        key);
    jdbc.update("DELETE FROM cart_items WHERE user_id = ?", userId);
    return key.getKey().longValue();
  }
}
