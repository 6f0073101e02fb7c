package dev.threadline.benchmarks.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The time the kernel itself spends in this process's BPF programs, from its run-time statistics
 * ({@code kernel.bpf_stats_enabled}: every run is timed, and each program's {@code
 * /proc/self/fdinfo} shows {@code run_time_ns} and {@code run_cnt}). Unlike the timed exchanges,
 * this sees only the programs: not the consumer's work on the other CPU, nor what the syscall
 * itself costs more once a program has run. The timing adds a clock read to every run, the same for
 * every configuration.
 */
final class ProgramRunTime implements AutoCloseable {
  private static final Path SWITCH = Path.of("/proc/sys/kernel/bpf_stats_enabled");
  private static final Path FDS = Path.of("/proc/self/fd");
  private static final Path FDINFO = Path.of("/proc/self/fdinfo");

  private final String before;

  private ProgramRunTime(String before) {
    this.before = before;
  }

  /** Turns the statistics on until {@link #close}, which restores the previous setting. */
  static ProgramRunTime enable() throws IOException {
    String before = Files.readString(SWITCH).trim();
    Files.writeString(SWITCH, "1");
    return new ProgramRunTime(before);
  }

  @Override
  public void close() {
    try {
      Files.writeString(SWITCH, before);
    } catch (IOException e) {
      throw new UncheckedIOException("could not restore " + SWITCH + " to " + before, e);
    }
  }

  /** The ids of the BPF programs this process holds open, with the fd of each. */
  static Map<Integer, String> programs() {
    Map<Integer, String> ids = new HashMap<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
      for (Path fd : fds) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
          continue;
        }
        if (target.equals("anon_inode:bpf-prog")) {
          Long id = field(fd.getFileName().toString(), "prog_id");
          if (id != null) {
            ids.put(id.intValue(), fd.getFileName().toString());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ids;
  }

  /** The programs opened between {@code before} and now. */
  static Map<Integer, String> openedSince(Map<Integer, String> before) {
    Map<Integer, String> now = programs();
    now.keySet().removeAll(before.keySet());
    return now;
  }

  /** {run_time_ns, run_cnt} summed over {@code programs} (id to fd). */
  static long[] totals(Map<Integer, String> programs) {
    long[] sum = new long[2];
    for (String fd : programs.values()) {
      Long time = field(fd, "run_time_ns");
      Long count = field(fd, "run_cnt");
      if (time == null || count == null) {
        throw new IllegalStateException("no run-time statistics in " + FDINFO.resolve(fd));
      }
      sum[0] += time;
      sum[1] += count;
    }
    return sum;
  }

  private static Long field(String fd, String name) {
    try {
      for (String line : Files.readAllLines(FDINFO.resolve(fd))) {
        if (line.startsWith(name + ":")) {
          return Long.parseLong(line.substring(name.length() + 1).trim());
        }
      }
      return null;
    } catch (IOException closedMeanwhile) {
      return null;
    }
  }
}
