package dev.threadline.sdk.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's identity of the calling OS thread, read from {@code /proc/thread-self}: its tid and
 * its start time (field 22 of {@code stat}, clock ticks since boot). On a virtual thread these are
 * the carrier's.
 */
final class OsThread {

  private static final Path SELF = Path.of("/proc/thread-self");
  private static final Path SELF_STAT = SELF.resolve("stat");

  final int tid;
  final long startTicks;

  private OsThread(int tid, long startTicks) {
    this.tid = tid;
    this.startTicks = startTicks;
  }

  /** Reads the calling thread's identity (a readlink and a small file read: a few syscalls). */
  static OsThread current() throws IOException {
    int tid = tid();
    long start = startTicks(Files.readString(SELF_STAT, StandardCharsets.US_ASCII));
    return new OsThread(tid, start);
  }

  /** The calling thread's tid: {@code /proc/thread-self} links to {@code <pid>/task/<tid>}. */
  static int tid() throws IOException {
    String link = Files.readSymbolicLink(SELF).toString();
    return Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
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
