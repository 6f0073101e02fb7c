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

/**
 * An application in a JVM of its own with the agent attached: the Spring Boot test application
 * ({@link #shop}), or a scenario {@code main} beside an IT ({@link #scenario}).
 */
public final class AgentApp implements AutoCloseable {
  private final Process process;
  private final File log;
  private final int port;
  private final HttpClient client = HttpClient.newHttpClient();

  private AgentApp(Process process, File log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts the Spring Boot application from its classes ({@code fatJar=false}) or as {@code java
   * -jar shop-app.jar}, with {@code arguments} (Spring Boot's {@code --name=value} settings).
   */
  public static AgentApp shop(boolean fatJar, String collectorUrl, String... arguments)
      throws Exception {
    List<String> command = new ArrayList<>();
    if (fatJar) {
      command.addAll(List.of("-jar", System.getProperty("app.jar")));
    } else {
      command.addAll(
          List.of("-cp", classpath(false), "dev.threadline.agent.it.app.ShopApplication"));
    }
    command.addAll(List.of(arguments));
    return start(command, "--server.port=", "/actuator/health", collectorUrl);
  }

  /**
   * Starts another Spring Boot application, {@code java -jar <jar> <arguments>
   * --server.port=<port>}; it is ready once {@code healthPath} answers 200.
   */
  public static AgentApp jar(
      String jar, String healthPath, String collectorUrl, String... arguments) throws Exception {
    return jar(jar, healthPath, collectorUrl, List.of(), arguments);
  }

  /** As {@link #jar(String, String, String, String...)}, with options for the JVM. */
  public static AgentApp jar(
      String jar,
      String healthPath,
      String collectorUrl,
      List<String> jvmOptions,
      String... arguments)
      throws Exception {
    List<String> command = new ArrayList<>(jvmOptions);
    command.addAll(List.of("-jar", jar));
    command.addAll(List.of(arguments));
    return start(command, "--server.port=", healthPath, collectorUrl);
  }

  /**
   * Starts {@code main}, a scenario of the test classes, with the port to listen on as its only
   * argument; it is ready once {@code healthPath} answers 200.
   */
  public static AgentApp scenario(Class<?> main, String healthPath, String collectorUrl)
      throws Exception {
    return start(List.of("-cp", classpath(true), main.getName()), "", healthPath, collectorUrl);
  }

  private static String classpath(boolean withTests) throws IOException {
    return (withTests ? System.getProperty("app.test-classes") + File.pathSeparator : "")
        + System.getProperty("app.classes")
        + File.pathSeparator
        + Files.readString(Paths.get(System.getProperty("app.classpath"))).trim();
  }

  /**
   * Starts the Spring Boot application ({@code java -jar shop-app.jar}) as user and group id {@code
   * user} (through {@code setpriv}: the application runs without privileges), on {@code port}, with
   * the JDK at {@code javaHome}.
   */
  public static AgentApp shopAs(String user, int port, String javaHome, String collectorUrl)
      throws Exception {
    // The fat jar: the user cannot read the build's Maven repository.
    List<String> launch = List.of("-jar", System.getProperty("app.jar"));
    List<String> prefix =
        List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--clear-groups", "--");
    return start(
        prefix, javaHome, launch, "--server.port=", port, "/actuator/health", collectorUrl);
  }

  /** A free TCP port on this machine (to give an application before it starts). */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The application's process id. */
  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  private static AgentApp start(
      List<String> launch, String portArgument, String healthPath, String collectorUrl)
      throws Exception {
    return start(
        List.of(),
        System.getProperty("java.home"),
        launch,
        portArgument,
        freePort(),
        healthPath,
        collectorUrl);
  }

  private static AgentApp start(
      List<String> prefix,
      String javaHome,
      List<String> launch,
      String portArgument,
      int port,
      String healthPath,
      String collectorUrl)
      throws Exception {
    String java = Paths.get(javaHome, "bin", "java").toString();
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(java, "-javaagent:" + System.getProperty("threadline.agent.jar")));
    command.addAll(launch);
    command.add(portArgument + port);
    File log = File.createTempFile("agent-app", ".log");
    log.deleteOnExit();
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(key -> key.startsWith("OTEL_") || key.startsWith("THREADLINE_"));
    env.put("OTEL_SERVICE_NAME", "shop");
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", collectorUrl);
    env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
    env.put("OTEL_PROPAGATORS", "tracecontext,baggage,b3multi,jaeger");
    AgentApp app = new AgentApp(builder.start(), log, port);
    app.awaitHealthy(healthPath, Duration.ofSeconds(90));
    return app;
  }

  private void awaitHealthy(String healthPath, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("the application is running:\n" + output()).isTrue();
      try {
        if (get(healthPath, Map.of()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the application did not become healthy:\n" + output());
  }

  /** GET {@code path} on the application, with {@code headers}. */
  public HttpResponse<String> get(String path, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Everything the application printed so far. */
  public String output() throws IOException {
    return Files.readString(log.toPath(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
