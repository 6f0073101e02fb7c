package dev.threadline.bridge.loader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Captures libbpf's log instead of letting it go to stderr: the verifier log of a rejected program
 * is hundreds of lines, and the operator should get one line that names the cause (the full log
 * goes to a file).
 */
final class LibbpfLog implements LibBpf.PrintCallback {
  private static final int LEVEL_WARN = 0;
  private static final int MAX_LINES = 20_000;

  private final LibC libc;
  private final Pointer buffer;
  private final List<String> lines = new ArrayList<>();

  LibbpfLog(LibC libc) {
    this.libc = libc;
    this.buffer = Memory.allocateDirect(Runtime.getRuntime(libc), 8192);
  }

  @Override
  public synchronized int print(int level, Pointer format, Pointer args) {
    if (level > LEVEL_WARN || lines.size() >= MAX_LINES) {
      return 0;
    }
    int n = libc.vsnprintf(buffer, 8192, format, args);
    if (n > 0) {
      String text = buffer.getString(0, Math.min(n, 8191), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
    }
    return n;
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  synchronized void clear() {
    lines.clear();
  }

  /**
   * The line that explains a verifier rejection: the last log line before the "processed N insns"
   * summary, prefixed with the program name.
   */
  synchronized String verifierSummary() {
    String program = null;
    String reason = null;
    boolean inLog = false;
    for (String line : lines) {
      if (line.contains("-- BEGIN PROG LOAD LOG --")) {
        inLog = true;
        program = between(line, "prog '", "'");
        reason = null;
      } else if (line.contains("-- END PROG LOAD LOG --")) {
        inLog = false;
      } else if (inLog && !line.startsWith("processed ") && !line.startsWith("verification time")) {
        reason = line.trim();
      }
    }
    if (program == null) {
      return lastLine();
    }
    return "program " + program + ": " + (reason == null ? "(empty verifier log)" : reason);
  }

  synchronized String lastLine() {
    return lines.isEmpty() ? "(libbpf printed nothing)" : lines.get(lines.size() - 1).trim();
  }

  /** Writes the whole captured log to a temp file; returns its path, or null. */
  synchronized Path dump() {
    try {
      Path file = Files.createTempFile("threadline-libbpf-", ".log");
      Files.write(file, lines, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The tracepoint a program could not find in the kernel's BTF ("failed to find kernel BTF type ID
   * of 'sock_send_length'"), or null.
   */
  synchronized String missingAttachTarget() {
    for (String line : lines) {
      int at = line.indexOf("failed to find kernel BTF type ID of '");
      if (at >= 0) {
        return between(line.substring(at), "of '", "'");
      }
    }
    return null;
  }

  boolean mentionsVerifier() {
    return lines().stream().anyMatch(l -> l.contains("BEGIN PROG LOAD LOG"));
  }

  private static String between(String s, String start, String end) {
    int a = s.indexOf(start);
    if (a < 0) {
      return "?";
    }
    int b = s.indexOf(end, a + start.length());
    return b < 0 ? s.substring(a + start.length()) : s.substring(a + start.length(), b);
  }
}
