package dev.threadline.samples.webshop.web;

import dev.threadline.samples.webshop.common.Dto;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

/** The side task: tells the user about the order, off the request thread through {@code @Async}. */
@Service
public class Notifier {
  private final RestClient users;

  public Notifier(@Qualifier("userClient") RestClient users) {
    this.users = users;
  }

  @Async
  public void orderPlaced(long userId, long orderId) {
    users
        .post()
        .uri("/users/{id}/notifications", userId)
        .body(new Dto.Notification("order " + orderId + " placed"))
        .retrieve()
        .toBodilessEntity();
  }
}
