package dev.threadline.agent.it.app;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

/**
 * Manual instrumentation through the application's own OpenTelemetry API, as a team using the API
 * writes it: {@code GlobalOpenTelemetry}, {@code Span.current()}, a span of its own with an
 * outgoing call and a query inside, baggage, a context key of its own, the global propagators.
 * Every endpoint answers with what the application saw, for the test to hold against the exported
 * spans.
 */
@RestController
public class ManualSpanController {
  private static final ContextKey<String> SHOP_KEY = ContextKey.named("shop-key");
  private static final TextMapGetter<Map<String, String>> MAP_GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private final RestTemplate restTemplate = new RestTemplate();
  private final ExecutorService pool = Executors.newSingleThreadExecutor();
  private final JdbcTemplate jdbc;
  private final String self;

  public ManualSpanController(JdbcTemplate jdbc, @Value("${server.port}") int port) {
    this.jdbc = jdbc;
    this.self = "http://127.0.0.1:" + port;
  }

  @GetMapping("/manual/span")
  public Map<String, Object> span(@RequestParam String remoteParent) throws Exception {
    Map<String, Object> seen = new LinkedHashMap<>();
    seen.put("current", ids(Span.current()));
    seen.put("callerBaggage", String.valueOf(Baggage.current().getEntryValue("caller.key")));
    Tracer tracer = GlobalOpenTelemetry.getTracer("shop-manual");
    TextMapPropagator propagator = GlobalOpenTelemetry.getPropagators().getTextMapPropagator();
    Span manual =
        tracer.spanBuilder("manual-work").setAttribute("shop.step", "checkout").startSpan();
    try (Scope spanScope = manual.makeCurrent();
        Scope baggageScope =
            Baggage.current().toBuilder().put("app.key", "from-app").build().makeCurrent();
        Scope keyScope = Context.current().with(SHOP_KEY, "shop-value").makeCurrent()) {
      seen.put("manual", ids(manual));
      seen.put("currentInScope", ids(Span.current()));
      seen.put("echo", restTemplate.getForObject(self + "/manual/echo", Map.class));
      seen.put(
          "item", jdbc.queryForObject("SELECT name FROM items WHERE id = ?", String.class, 42));
      seen.put("pooled", pool.submit(ManualSpanController::whatIsCurrent).get());
      Map<String, String> carrier = new HashMap<>();
      propagator.inject(Context.current(), carrier, Map::put);
      seen.put("injected", carrier);
    } finally {
      manual.end();
    }
    seen.put("currentAfter", ids(Span.current()));

    Context remote =
        propagator.extract(Context.current(), Map.of("traceparent", remoteParent), MAP_GETTER);
    seen.put("extracted", ids(Span.fromContext(remote)));
    seen.put("extractedIsRemote", Span.fromContext(remote).getSpanContext().isRemote());
    Span remoteChild = tracer.spanBuilder("manual-remote-child").setParent(remote).startSpan();
    remoteChild.end();
    seen.put("remoteChild", ids(remoteChild));
    return seen;
  }

  @GetMapping("/manual/echo")
  public Map<String, Object> echo(
      @RequestHeader(value = "baggage", required = false) String baggage) {
    return Map.of(
        "baggageHeader",
        String.valueOf(baggage),
        "appBaggage",
        String.valueOf(Baggage.current().getEntryValue("app.key")),
        "current",
        ids(Span.current()));
  }

  /** An application bug: a span, baggage and a key made current and never closed. */
  @GetMapping("/manual/leak")
  public Map<String, Object> leak() {
    Span leaked =
        GlobalOpenTelemetry.getTracer("shop-manual").spanBuilder("manual-leaked").startSpan();
    leaked.makeCurrent();
    Baggage.current().toBuilder().put("leaked.key", "leaked").build().makeCurrent();
    Context.current().with(SHOP_KEY, "leaked").makeCurrent();
    leaked.end();
    return Map.of("thread", Thread.currentThread().getName(), "leaked", ids(leaked));
  }

  @GetMapping("/manual/current")
  public Map<String, Object> current() throws Exception {
    Map<String, Object> seen = new LinkedHashMap<>(whatIsCurrent());
    seen.put("thread", Thread.currentThread().getName());
    seen.put("pooled", pool.submit(ManualSpanController::whatIsCurrent).get());
    return seen;
  }

  private static Map<String, Object> whatIsCurrent() {
    return Map.of(
        "span",
        ids(Span.current()),
        "key",
        String.valueOf(Context.current().get(SHOP_KEY)),
        "baggage",
        new TreeSet<>(Baggage.current().asMap().keySet()).toString());
  }

  private static Map<String, String> ids(Span span) {
    SpanContext context = span.getSpanContext();
    return Map.of("traceId", context.getTraceId(), "spanId", context.getSpanId());
  }
}
