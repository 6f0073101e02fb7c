package dev.threadline.sdk.propagation;

/** Optional whitespace of HTTP fields (RFC 9110 5.6.3): spaces and horizontal tabs. */
final class Ows {
  private Ows() {}

  static boolean is(char c) {
    return c == ' ' || c == '\t';
  }

  /** {@code value} without leading and trailing optional whitespace. */
  static String trim(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && is(value.charAt(start))) {
      start++;
    }
    while (end > start && is(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(start, end);
  }
}
