package dev.threadline.samples.webshop.web;

import dev.threadline.samples.webshop.common.Dto;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * {@code GET /shop/full-test?count=N}: N times register a user, log in, find an item, put one or
 * two items in the cart and order them, as DeepFlow's WebShop demo does.
 */
@RestController
public class FullTestController {
  private static final Logger log = LoggerFactory.getLogger(FullTestController.class);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final List<String> SEARCHES = List.of("coffee", "tea", "mug", "filter", "grinder");
  private static final ParameterizedTypeReference<List<Dto.Item>> ITEMS =
      new ParameterizedTypeReference<>() {};

  private final RestClient users;
  private final RestClient items;
  private final RestClient orders;
  private final Notifier notifier;

  public FullTestController(
      @Qualifier("userClient") RestClient users,
      @Qualifier("itemClient") RestClient items,
      @Qualifier("orderClient") RestClient orders,
      Notifier notifier) {
    this.users = users;
    this.items = items;
    this.orders = orders;
    this.notifier = notifier;
  }

  @GetMapping("/shop/full-test")
  public Map<String, Object> fullTest(@RequestParam(defaultValue = "1") int count) {
    Instant start = Instant.now();
    int success = 0;
    for (int i = 0; i < count; i++) {
      try {
        shopOnce();
        success++;
      } catch (RuntimeException e) {
        log.warn("shopping round failed: {}", e.toString());
      }
    }
    Instant stop = Instant.now();
    long elapsed = stop.toEpochMilli() - start.toEpochMilli();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("count", count);
    result.put("elapsed", elapsed);
    result.put("elapsedAvg", count == 0 ? 0 : elapsed / count);
    result.put("startAt", TIME.format(start));
    result.put("stopAt", TIME.format(stop));
    result.put("success", success);
    result.put("failed", count - success);
    return result;
  }

  private void shopOnce() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Dto.Credentials credentials =
        new Dto.Credentials("user-" + UUID.randomUUID(), "pw-" + random.nextInt());
    Dto.User user = users.post().uri("/users").body(credentials).retrieve().body(Dto.User.class);
    users.post().uri("/login").body(credentials).retrieve().body(Dto.Session.class);
    List<Dto.Item> found =
        items
            .get()
            .uri("/items/search?q={q}", SEARCHES.get(random.nextInt(SEARCHES.size())))
            .retrieve()
            .body(ITEMS);
    if (found == null || found.isEmpty()) {
      throw new IllegalStateException("no item found");
    }
    int lines = 1 + random.nextInt(2);
    for (int i = 0; i < lines; i++) {
      Dto.Item item = found.get(random.nextInt(found.size()));
      orders
          .post()
          .uri("/carts/{userId}/items", user.id())
          .body(new Dto.CartLine(item.id()))
          .retrieve()
          .toBodilessEntity();
    }
    Dto.Order order =
        orders
            .post()
            .uri("/orders")
            .body(new Dto.OrderRequest(user.id()))
            .retrieve()
            .body(Dto.Order.class);
    notifier.orderPlaced(user.id(), order.orderId());
  }
}
