package dev.threadline.samples.webshop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx started from one of the gateway templates in {@code gateway/}, with its own prefix
 * directory (config, pid, logs). {@code @PREFIX@} and {@code @PORT@} are filled in here; the caller
 * gives the other placeholders.
 */
final class NginxGateway implements AutoCloseable {
  static final Path NGINX =
      Files.isExecutable(Paths.get("/usr/sbin/nginx"))
          ? Paths.get("/usr/sbin/nginx")
          : Paths.get("nginx");

  private final Path prefix;
  private final int port;
  private final Process process;

  private NginxGateway(Path prefix, int port, Process process) {
    this.prefix = prefix;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts nginx from {@code template} in {@code prefix} and waits until it listens. {@code
   * environment} is added to a copy of this process's environment without its {@code KONG_}
   * variables.
   */
  static NginxGateway start(
      Path prefix,
      String template,
      Map<String, String> placeholders,
      Map<String, String> environment)
      throws Exception {
    Files.createDirectories(prefix);
    int port = freePort();
    String config =
        Files.readString(Paths.get("gateway", template))
            .replace("@PREFIX@", prefix.toString())
            .replace("@PORT@", Integer.toString(port));
    for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
      config = config.replace(placeholder.getKey(), placeholder.getValue());
    }
    assertThat(config).as("every placeholder filled").doesNotContainPattern("@[A-Z_]+@");
    Path file = prefix.resolve("nginx.conf");
    Files.writeString(file, config);
    ProcessBuilder builder =
        new ProcessBuilder(NGINX.toString(), "-p", prefix.toString(), "-c", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(prefix.resolve("nginx.out").toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("KONG_"));
    builder.environment().putAll(environment);
    NginxGateway gateway = new NginxGateway(prefix, port, builder.start());
    gateway.awaitListening(Duration.ofSeconds(20));
    return gateway;
  }

  int port() {
    return port;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** A file in the prefix directory (error.log, access.log, nginx.out), empty when absent. */
  String read(String name) {
    try {
      Path file = prefix.resolve(name);
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private void awaitListening(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive())
          .as("nginx runs: " + read("nginx.out") + read("error.log"))
          .isTrue();
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    close();
    throw new AssertionError("nginx did not listen: " + read("error.log"));
  }

  static int freePort() throws IOException {
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
