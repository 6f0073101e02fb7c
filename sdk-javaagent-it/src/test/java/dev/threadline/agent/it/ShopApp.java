package dev.threadline.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The Spring Boot test application in a JVM of its own, with the agent attached. */
final class ShopApp implements AutoCloseable {
  private final Process process;
  private final File log;
  private final int port;
  private final HttpClient client = HttpClient.newHttpClient();

  private ShopApp(Process process, File log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts the application from its classes ({@code fatJar=false}) or as {@code java -jar
   * shop-app.jar}.
   */
  static ShopApp start(boolean fatJar, String collectorUrl) throws Exception {
    int port = freePort();
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(List.of(java, "-javaagent:" + System.getProperty("threadline.agent.jar")));
    if (fatJar) {
      command.addAll(List.of("-jar", System.getProperty("app.jar")));
    } else {
      String classpath =
          System.getProperty("app.classes")
              + File.pathSeparator
              + Files.readString(Paths.get(System.getProperty("app.classpath"))).trim();
      command.addAll(List.of("-cp", classpath, "dev.threadline.agent.it.app.ShopApplication"));
    }
    command.add("--server.port=" + port);
    File log = File.createTempFile("shop-app", ".log");
    log.deleteOnExit();
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(key -> key.startsWith("OTEL_") || key.startsWith("THREADLINE_"));
    env.put("OTEL_SERVICE_NAME", "shop");
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", collectorUrl);
    env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
    env.put("OTEL_PROPAGATORS", "tracecontext,baggage,b3multi,jaeger");
    ShopApp app = new ShopApp(builder.start(), log, port);
    app.awaitHealthy(Duration.ofSeconds(90));
    return app;
  }

  private void awaitHealthy(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("the application is running:\n" + output()).isTrue();
      try {
        if (get("/actuator/health", Map.of()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the application did not become healthy:\n" + output());
  }

  HttpResponse<String> get(String path, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  String output() throws IOException {
    return Files.readString(log.toPath(), StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
