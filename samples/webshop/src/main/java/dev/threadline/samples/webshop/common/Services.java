package dev.threadline.samples.webshop.common;

import org.springframework.boot.builder.SpringApplicationBuilder;

/** Starts one WebShop service with its own configuration file ({@code <name>.properties}). */
public final class Services {
  private Services() {}

  public static void run(Class<?> application, String name, String[] args) {
    new SpringApplicationBuilder(application).properties("spring.config.name=" + name).run(args);
  }
}
