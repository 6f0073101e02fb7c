package dev.threadline.agent.it.app;

import example.greeting.Greeter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Calls the {@code @WithSpan} bean and logs through SLF4J (Logback) on the request thread and on a
 * pool thread.
 */
@RestController
@Import(Greeter.class)
public class GreetingController {
  private static final Logger log = LoggerFactory.getLogger(GreetingController.class);
  private final Greeter greeter;
  private final ThreadPoolTaskExecutor appExecutor;

  public GreetingController(Greeter greeter, ThreadPoolTaskExecutor appExecutor) {
    this.greeter = greeter;
    this.appExecutor = appExecutor;
  }

  @GetMapping("/greet")
  public Map<String, Object> greet(@RequestParam String user) throws Exception {
    MDC.put("app.user", user);
    log.info("greet request for {}", user);
    // The application's MDC itself never receives the ids (each event gets a copy).
    String mdcTraceId = String.valueOf(MDC.get("trace_id"));
    MDC.remove("app.user");
    // `later`'s span stays open until its future completes, after greet() has returned.
    CompletableFuture<String> later = new CompletableFuture<>();
    CompletableFuture<String> returned = greeter.later(later);
    String greeting = greeter.greet(user, 2);
    later.complete("done");
    appExecutor.submit(() -> log.info("greet pool task for {}", user)).get(10, TimeUnit.SECONDS);
    String failure;
    try {
      greeter.failing(user);
      failure = "none";
    } catch (IllegalStateException e) {
      failure = e.getMessage();
    }
    return Map.of(
        "greeting",
        greeting,
        "failure",
        failure,
        "later",
        returned.get(),
        "mdcTraceId",
        mdcTraceId);
  }
}
