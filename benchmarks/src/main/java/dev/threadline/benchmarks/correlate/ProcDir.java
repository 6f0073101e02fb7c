package dev.threadline.benchmarks.correlate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A stand-in for /proc holding the WebShop's processes as the correlator reads them: the Java
 * services with {@code OTEL_SERVICE_NAME} in their environment (as samples/webshop/run starts
 * them), nginx and the load client by their command name.
 */
final class ProcDir {
  private ProcDir() {}

  static Path create() {
    try {
      Path dir = Files.createTempDirectory("threadline-bench-proc");
      for (WebShopTraffic.Proc p : WebShopTraffic.PROCESSES) {
        Path pid = Files.createDirectories(dir.resolve(Integer.toString(p.pid())));
        if (p.javaService()) {
          Files.writeString(
              pid.resolve("cmdline"), "java\0-javaagent:threadline-agent.jar\0-jar\0");
          Files.writeString(
              pid.resolve("environ"), "PATH=/usr/bin\0OTEL_SERVICE_NAME=" + p.service() + "\0");
        } else {
          Files.writeString(pid.resolve("cmdline"), p.service() + "\0");
          Files.writeString(pid.resolve("environ"), "PATH=/usr/bin\0");
        }
        Files.writeString(pid.resolve("comm"), p.service() + "\n");
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
