package dev.threadline.samples.webshop.common;

import java.math.BigDecimal;
import java.util.List;

/** The JSON bodies the services exchange. */
public final class Dto {
  private Dto() {}

  public record Credentials(String name, String password) {}

  public record User(long id, String name) {}

  public record Session(long userId, String token) {}

  public record Item(long id, String name, BigDecimal price) {}

  public record Stock(long itemId, int available) {}

  public record CartLine(long itemId) {}

  public record OrderRequest(long userId) {}

  public record Order(long orderId, long userId, List<Long> itemIds, BigDecimal total) {}

  public record Notification(String message) {}
}
