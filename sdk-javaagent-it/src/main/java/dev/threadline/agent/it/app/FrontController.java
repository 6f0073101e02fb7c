package dev.threadline.agent.it.app;

import io.opentelemetry.api.GlobalOpenTelemetry;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * The front: calls the item service (this same application, over real HTTP) with RestTemplate and
 * RestClient.
 */
@RestController
public class FrontController {
  private final RestTemplate restTemplate = new RestTemplate();
  private final RestClient restClient = RestClient.create();
  private final String self;

  public FrontController(@Value("${server.port}") int port) {
    this.self = "http://127.0.0.1:" + port;
  }

  @GetMapping("/front/items/{id}")
  public Map<?, ?> item(@PathVariable int id) {
    // The application's own OpenTelemetry API (not the agent's), bridged to the agent's: the span
    // joins the request's trace.
    GlobalOpenTelemetry.getTracer("shop").spanBuilder("app-own-span").startSpan().end();
    return restTemplate.getForObject(self + "/items/" + id, Map.class);
  }

  @GetMapping("/front/stock/{id}")
  public Map<?, ?> stock(@PathVariable int id) {
    return restClient.get().uri(self + "/items/" + id).retrieve().body(Map.class);
  }

  @GetMapping("/front/async")
  public Callable<String> async() {
    return () -> {
      Thread.sleep(300);
      return "done later";
    };
  }

  @GetMapping("/front/fail")
  public String fail() {
    throw new IllegalStateException("out of coffee");
  }
}
