package dev.threadline.agent.it.webflux.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot WebFlux service on Reactor Netty whose endpoints call a downstream (an endpoint of
 * its own) with WebClient from different places of a reactive chain, for the agent's reactive ITs.
 */
@SpringBootApplication
public class WebfluxApplication {
  public static void main(String[] args) {
    SpringApplication.run(WebfluxApplication.class, args);
  }
}
