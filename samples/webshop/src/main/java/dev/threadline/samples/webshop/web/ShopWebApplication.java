package dev.threadline.samples.webshop.web;

import dev.threadline.samples.webshop.common.Services;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.web.client.RestClient;

/** shop-web: the front behind the gateway. */
@SpringBootApplication
@EnableAsync
public class ShopWebApplication {
  public static void main(String[] args) {
    Services.run(ShopWebApplication.class, "shop-web", args);
  }

  @Bean
  RestClient userClient(@Value("${webshop.user-url}") String url) {
    return RestClient.create(url);
  }

  @Bean
  RestClient itemClient(@Value("${webshop.item-url}") String url) {
    return RestClient.create(url);
  }

  @Bean
  RestClient orderClient(@Value("${webshop.order-url}") String url) {
    return RestClient.create(url);
  }
}
