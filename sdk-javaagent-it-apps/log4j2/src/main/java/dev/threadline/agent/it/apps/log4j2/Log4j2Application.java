package dev.threadline.agent.it.apps.log4j2;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Knows nothing of Threadline: logs each request with Log4j2, on its thread and on a pool's. */
@SpringBootApplication
@RestController
public class Log4j2Application {
  private static final Logger log = LogManager.getLogger(Log4j2Application.class);
  private final ExecutorService pool = Executors.newFixedThreadPool(1);

  public static void main(String[] args) {
    SpringApplication.run(Log4j2Application.class, args);
  }

  @GetMapping("/ping")
  public String ping() {
    return "pong";
  }

  @GetMapping("/log")
  public String log(@RequestParam String user) throws Exception {
    ThreadContext.put("app.user", user);
    log.info("log4j2 request for {}", user);
    // The application's thread context itself never receives the ids (each event gets a copy).
    String contextTraceId = ThreadContext.get("trace_id");
    ThreadContext.remove("app.user");
    pool.submit(() -> log.info("log4j2 pool task for {}", user)).get(10, TimeUnit.SECONDS);
    return "logged " + user + ", thread context trace_id " + contextTraceId;
  }
}
