package dev.threadline.agent.it.app;

import io.micrometer.tracing.Tracer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

/**
 * Micrometer Tracing (Spring Boot actuator tracing with its OpenTelemetry bridge, switched on by
 * clearing {@code spring.autoconfigure.exclude}): a span of Micrometer's own with an outgoing call
 * inside.
 */
@RestController
public class MicrometerController {
  private final RestTemplate restTemplate = new RestTemplate();
  private final ObjectProvider<Tracer> tracer;
  private final String self;

  public MicrometerController(ObjectProvider<Tracer> tracer, @Value("${server.port}") int port) {
    this.tracer = tracer;
    this.self = "http://127.0.0.1:" + port;
  }

  @GetMapping("/micrometer/span")
  public Map<String, Object> span() {
    Tracer micrometer = tracer.getObject();
    Map<String, Object> seen = new LinkedHashMap<>();
    seen.put("current", ids(micrometer.currentSpan()));
    seen.put("apiCurrent", io.opentelemetry.api.trace.Span.current().getSpanContext().getSpanId());
    io.micrometer.tracing.Span span = micrometer.nextSpan().name("micrometer-work").start();
    try (Tracer.SpanInScope scope = micrometer.withSpan(span)) {
      seen.put("work", ids(span));
      seen.put(
          "apiCurrentInScope",
          io.opentelemetry.api.trace.Span.current().getSpanContext().getSpanId());
      seen.put("echo", restTemplate.getForObject(self + "/manual/echo", Map.class));
    } finally {
      span.end();
    }
    return seen;
  }

  private static Map<String, String> ids(io.micrometer.tracing.Span span) {
    return span == null
        ? Map.of()
        : Map.of("traceId", span.context().traceId(), "spanId", span.context().spanId());
  }
}
