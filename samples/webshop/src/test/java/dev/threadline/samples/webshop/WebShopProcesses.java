package dev.threadline.samples.webshop;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The five services (each in its own JVM with the agent) and the nginx gateway, for the integration
 * test.
 */
final class WebShopProcesses implements AutoCloseable {
  static final Map<String, String> SERVICES = new LinkedHashMap<>();

  static {
    String base = "dev.threadline.samples.webshop.";
    SERVICES.put("user-svc", base + "user.UserServiceApplication");
    SERVICES.put("item-svc", base + "item.ItemServiceApplication");
    SERVICES.put("stock-svc", base + "stock.StockServiceApplication");
    SERVICES.put("order-svc", base + "order.OrderServiceApplication");
    SERVICES.put("shop-web", base + "web.ShopWebApplication");
  }

  private final List<Process> processes = new ArrayList<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Path work;
  private NginxGateway gateway;

  WebShopProcesses() throws IOException {
    work = Files.createTempDirectory("webshop-it");
    for (String service : SERVICES.keySet()) {
      ports.put(service, freePort());
    }
  }

  void startServices(String collectorUrl) throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    for (Map.Entry<String, String> service : SERVICES.entrySet()) {
      List<String> command =
          List.of(
              java,
              "-javaagent:" + System.getProperty("threadline.agent.jar"),
              "-Dloader.main=" + service.getValue(),
              "-jar",
              System.getProperty("webshop.jar"),
              "--server.port=" + ports.get(service.getKey()),
              "--webshop.user-url=" + url("user-svc"),
              "--webshop.item-url=" + url("item-svc"),
              "--webshop.stock-url=" + url("stock-svc"),
              "--webshop.order-url=" + url("order-svc"));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(work.resolve(service.getKey() + ".log").toFile());
      builder
          .environment()
          .keySet()
          .removeIf(k -> k.startsWith("OTEL_") || k.startsWith("THREADLINE_"));
      builder.environment().put("OTEL_SERVICE_NAME", service.getKey());
      builder.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", collectorUrl);
      builder.environment().put("OTEL_BSP_SCHEDULE_DELAY", "200");
      builder.environment().put("OTEL_BSP_MAX_QUEUE_SIZE", "20000");
      processes.add(builder.start());
    }
    for (String service : SERVICES.keySet()) {
      awaitHealthy(service, Duration.ofSeconds(180));
    }
  }

  void startGateway() throws Exception {
    gateway =
        NginxGateway.start(
            work,
            "nginx.conf.template",
            Map.of("@SHOP_WEB@", "127.0.0.1:" + ports.get("shop-web")),
            Map.of());
  }

  /**
   * The Kong-shaped gateway (nginx with Lua making Kong's opentelemetry plugin spans), exporting to
   * {@code tracesEndpoint}.
   */
  void startPluginGateway(String tracesEndpoint) throws Exception {
    gateway =
        NginxGateway.start(
            work.resolve("kong"),
            "kong-nginx.conf.template",
            Map.of(
                "@SHOP_WEB@",
                "127.0.0.1:" + ports.get("shop-web"),
                "@TRACES_ENDPOINT@",
                tracesEndpoint,
                "@LUA_DIR@",
                Paths.get("gateway", "kong").toAbsolutePath().toString()),
            Map.of());
  }

  /** Stops the gateway, so that another can be started. */
  void stopGateway() throws InterruptedException {
    if (gateway != null) {
      gateway.close();
      gateway = null;
    }
  }

  /** The directory of logs and gateway prefixes. */
  Path work() {
    return work;
  }

  /** The gateway's base URL. */
  String gatewayUrl() {
    return gateway.baseUrl();
  }

  HttpResponse<String> throughGateway(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .timeout(Duration.ofSeconds(60));
    headers.forEach(request::header);
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  String accessLog() {
    return read("access.log");
  }

  private String url(String service) {
    return "http://127.0.0.1:" + ports.get(service);
  }

  private void awaitHealthy(String service, Duration timeout) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> health =
            client.send(
                HttpRequest.newBuilder(URI.create(url(service) + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new AssertionError(service + " did not become healthy:\n" + read(service + ".log"));
  }

  String read(String name) {
    try {
      Path file = work.resolve(name);
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static int freePort() throws IOException {
    return NginxGateway.freePort();
  }

  @Override
  public void close() throws InterruptedException {
    if (gateway != null) {
      gateway.close();
    }
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
