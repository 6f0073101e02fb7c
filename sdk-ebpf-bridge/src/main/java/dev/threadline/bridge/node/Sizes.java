package dev.threadline.bridge.node;

import java.util.Locale;

/** Sizes as the command line takes them ({@code 4MiB}, {@code 512k}, {@code 4096}). */
public final class Sizes {
  private Sizes() {}

  /**
   * A size such as {@code 4MiB}, {@code 512k} or {@code 4096} (KiB/MiB/GiB and k/m/g are powers of
   * 1024, kB/MB/GB of 1000), at most {@code max}; {@code what} names the setting in the error.
   */
  public static long parse(String text, String what, long max) {
    String lower = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    String[][] units = {
      {"kib", "1024"},
      {"mib", "1048576"},
      {"gib", "1073741824"},
      {"kb", "1000"},
      {"mb", "1000000"},
      {"gb", "1000000000"},
      {"k", "1024"},
      {"m", "1048576"},
      {"g", "1073741824"},
      {"b", "1"}
    };
    for (String[] candidate : units) {
      if (lower.endsWith(candidate[0])) {
        unit = Long.parseLong(candidate[1]);
        lower = lower.substring(0, lower.length() - candidate[0].length()).trim();
        break;
      }
    }
    try {
      long value = Math.multiplyExact(Long.parseLong(lower), unit);
      if (value <= 0 || value > max) {
        throw new IllegalArgumentException(what + " out of range: " + text);
      }
      return value;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(what + " must be a size like 4MiB, was " + text);
    }
  }
}
