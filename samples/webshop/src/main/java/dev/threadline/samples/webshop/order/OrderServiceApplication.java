package dev.threadline.samples.webshop.order;

import dev.threadline.samples.webshop.common.Services;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/** order-svc: carts and orders. */
@SpringBootApplication
public class OrderServiceApplication {
  public static void main(String[] args) {
    Services.run(OrderServiceApplication.class, "order-svc", args);
  }

  /**
   * The pool the order checks fan out on: a plain JDK pool, as in many real services, and exactly
   * where a trace breaks without propagation.
   */
  @Bean(destroyMethod = "shutdown")
  ExecutorService orderPool() {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory threads =
        task -> {
          Thread thread = new Thread(task, "order-pool-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    return Executors.newFixedThreadPool(4, threads);
  }

  @Bean
  RestClient itemClient(@Value("${webshop.item-url}") String url) {
    return RestClient.create(url);
  }

  @Bean
  RestClient stockClient(@Value("${webshop.stock-url}") String url) {
    return RestClient.create(url);
  }
}
