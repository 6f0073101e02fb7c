package dev.threadline.sdk.context;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The kernel's identity of the calling OS thread, read from {@code /proc/thread-self/stat}: its tid
 * (field 1) and its start time (field 22, clock ticks since boot). On a virtual thread these are
 * the carrier's.
 */
final class OsThread {

  private static final String SELF_STAT = "/proc/thread-self/stat";
  // A stat line is 52 numbers after a command name of at most 64 bytes: well under this.
  private static final int STAT_BUFFER = 2048;

  final int tid;
  final long startTicks;

  private OsThread(int tid, long startTicks) {
    this.tid = tid;
    this.startTicks = startTicks;
  }

  /**
   * Reads the calling thread's identity: one read of a small file (open, read, close). It runs once
   * per thread, and applications that start a thread per task pay it for every task.
   */
  static OsThread current() throws IOException {
    String stat = readStat();
    return new OsThread(tid(stat), startTicks(stat));
  }

  /** The calling thread's tid. */
  static int tid() throws IOException {
    return tid(readStat());
  }

  private static String readStat() throws IOException {
    try (FileInputStream in = new FileInputStream(SELF_STAT)) {
      byte[] buffer = new byte[STAT_BUFFER];
      int length = Math.max(0, in.read(buffer));
      String line = new String(buffer, 0, length, StandardCharsets.US_ASCII);
      // Not the whole line in one read (never seen from procfs): read the rest.
      return line.endsWith("\n")
          ? line
          : line + new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  /** Field 1 ({@code pid}: in a thread's own {@code stat}, its tid) of a {@code stat} line. */
  static int tid(String stat) {
    return Integer.parseInt(stat.substring(0, stat.indexOf(' ')));
  }

  /**
   * Field 22 ({@code starttime}) of a {@code /proc/.../stat} line. The command name (field 2) may
   * hold spaces and parentheses, so fields are counted after the last {@code ')'}: field 3 is the
   * first one there.
   */
  static long startTicks(String stat) {
    int field = 3;
    int i = stat.lastIndexOf(')') + 1;
    while (true) {
      while (i < stat.length() && stat.charAt(i) == ' ') {
        i++;
      }
      int end = stat.indexOf(' ', i);
      if (end < 0) {
        end = stat.length();
      }
      if (field == 22) {
        return Long.parseLong(stat.substring(i, end).trim());
      }
      if (end >= stat.length()) {
        throw new IllegalArgumentException("no field 22 in " + stat);
      }
      field++;
      i = end;
    }
  }
}
