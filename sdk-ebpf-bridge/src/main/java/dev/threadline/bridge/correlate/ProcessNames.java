package dev.threadline.bridge.correlate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service name an S span of a process is shown under: the OpenTelemetry service name the
 * process was started with ({@code -Dotel.service.name=} on its command line, else {@code
 * OTEL_SERVICE_NAME} in its environment), else its command name ({@code nginx}, {@code java}). Read
 * once per process from /proc, kept for the most recent processes.
 */
final class ProcessNames {
  private static final int MAX_PROCESSES = 4096;
  private static final String PROPERTY = "-Dotel.service.name=";
  private static final String VARIABLE = "OTEL_SERVICE_NAME=";

  private final Path proc;
  private final Map<Integer, String> names =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, String> eldest) {
          return size() > MAX_PROCESSES;
        }
      };

  ProcessNames(Path proc) {
    this.proc = proc;
  }

  /**
   * @param comm the name of the thread that made the span, used when the process has already gone
   *     (a short-lived client such as curl)
   */
  String of(int pid, String comm) {
    String name = names.computeIfAbsent(pid, this::read);
    if (name == null) {
      names.remove(pid);
      return comm == null || comm.isEmpty() ? "pid " + pid : comm;
    }
    return name;
  }

  /** The name, or null when the process is gone. */
  private String read(int pid) {
    Path dir = proc.resolve(Integer.toString(pid));
    String name = find(dir.resolve("cmdline"), PROPERTY);
    if (name == null) {
      name = find(dir.resolve("environ"), VARIABLE);
    }
    if (name == null) {
      try {
        name = Files.readString(dir.resolve("comm"), StandardCharsets.UTF_8).strip();
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
    return name.isEmpty() ? null : name;
  }

  /** The value of the first NUL-separated entry starting with {@code prefix}, or null. */
  private static String find(Path file, String prefix) {
    try {
      for (String entry : Files.readString(file, StandardCharsets.ISO_8859_1).split("\0")) {
        if (entry.startsWith(prefix) && entry.length() > prefix.length()) {
          return entry.substring(prefix.length());
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone, or not ours to read: fall back to the next source
    }
    return null;
  }
}
