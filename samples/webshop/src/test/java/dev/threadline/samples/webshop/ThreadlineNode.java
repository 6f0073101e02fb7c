package dev.threadline.samples.webshop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Threadline node as a user runs it ({@code java -jar threadline-bridge.jar node}), in its own
 * JVM, with its kernel side: it traces every process but itself, this test's included.
 */
final class ThreadlineNode implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int port;

  private ThreadlineNode(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts the node with {@code --kernel required} and waits for its banner.
   *
   * @throws KernelUnavailable when the node says the kernel side cannot run here
   */
  static ThreadlineNode start(Path work) throws Exception {
    int port = NginxGateway.freePort();
    Path log = work.resolve("node.log");
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    java,
                    "-jar",
                    System.getProperty("threadline.bridge.jar"),
                    "node",
                    "--listen",
                    "127.0.0.1:" + port,
                    "--kernel",
                    "required"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("THREADLINE_NODE_"));
    Process process = builder.start();
    ThreadlineNode node = new ThreadlineNode(process, log, port);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      String banner = node.log();
      if (banner.contains("kernel side       on")) {
        return node;
      }
      if (!process.isAlive()) {
        if (process.exitValue() == 3 && banner.contains("--kernel required")) {
          throw new KernelUnavailable(banner.strip());
        }
        throw new AssertionError("the node stopped: " + banner);
      }
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    node.close();
    throw new AssertionError("the node did not start: " + node.log());
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /** The node's kernel side cannot run here (no root, no BPF). */
  static final class KernelUnavailable extends Exception {
    private static final long serialVersionUID = 1L;

    KernelUnavailable(String why) {
      super(why);
    }
  }
}
