package dev.threadline.bridge.http;

import java.nio.charset.StandardCharsets;

/**
 * Parses a complete HTTP/1.x head (start line + header lines + blank line) straight from its bytes:
 * one String per token that is kept, none for the head as a whole. This runs for every request and
 * response the bridge sees.
 */
final class HttpHeadParser {
  private static final byte[][] METHODS =
      ascii(
          "GET ", "POST ", "PUT ", "DELETE ", "HEAD ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE ");
  private static final byte[] VERSION_PREFIX = ascii("HTTP/1.")[0];

  private HttpHeadParser() {}

  /**
   * Whether {@code length} bytes at {@code offset} can be the start of an HTTP/1.x message. A short
   * prefix ("GE") is accepted when it is consistent with a method or "HTTP/1.".
   */
  static boolean looksLikeStart(byte[] data, int offset, int length) {
    if (length <= 0) {
      return false;
    }
    if (prefixMatches(data, offset, length, VERSION_PREFIX)) {
      return true;
    }
    for (byte[] method : METHODS) {
      if (prefixMatches(data, offset, length, method)) {
        return true;
      }
    }
    return false;
  }

  private static boolean prefixMatches(byte[] data, int offset, int length, byte[] token) {
    int n = Math.min(length, token.length);
    for (int i = 0; i < n; i++) {
      if (data[offset + i] != token[i]) {
        return false;
      }
    }
    return true;
  }

  /** Parses {@code head} (ending in CRLF CRLF); returns null when it is not valid HTTP/1.x. */
  static HttpMessage parse(byte[] head, int length) {
    return parse(head, length, false);
  }

  /**
   * Parses the captured beginning of a head that continues past the captured bytes: the complete
   * lines only. Returns null when not even the start line is complete.
   */
  static HttpMessage parseTruncated(byte[] head, int length) {
    int lastNewline = length - 1;
    while (lastNewline >= 0 && head[lastNewline] != '\n') {
      lastNewline--;
    }
    return lastNewline < 0 ? null : parse(head, lastNewline + 1, true);
  }

  private static HttpMessage parse(byte[] head, int length, boolean truncated) {
    int startEnd = lineEnd(head, 0, length);
    int startContent = trimCr(head, 0, startEnd);
    HeaderMap.Builder headers = new HeaderMap.Builder();
    int lineStart = startEnd + 1;
    while (lineStart < length) {
      int end = lineEnd(head, lineStart, length);
      addHeader(head, lineStart, trimCr(head, lineStart, end), headers);
      lineStart = end + 1;
    }
    if (startsWith(head, 0, startContent, VERSION_PREFIX)) {
      return response(head, startContent, headers.build(), length, truncated);
    }
    return request(head, startContent, headers.build(), length, truncated);
  }

  /**
   * "HTTP/1.1 200 Reason": version, a space, exactly three digits, then a space or the end of the
   * line.
   */
  private static HttpMessage response(
      byte[] b, int end, HeaderMap headers, int length, boolean truncated) {
    int space = indexOf(b, (byte) ' ', 0, end);
    if (space < 0 || space + 4 > end || (space + 4 < end && b[space + 4] != ' ')) {
      return null;
    }
    int status = 0;
    for (int i = space + 1; i < space + 4; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return null;
      }
      status = status * 10 + (b[i] - '0');
    }
    return new HttpMessage(
        false, null, null, text(b, 0, space), status, headers, length, truncated);
  }

  /**
   * "METHOD target HTTP/1.x": three tokens separated by single spaces (a trailing space is
   * tolerated).
   */
  private static HttpMessage request(
      byte[] b, int end, HeaderMap headers, int length, boolean truncated) {
    while (end > 0 && b[end - 1] == ' ') {
      end--;
    }
    int first = indexOf(b, (byte) ' ', 0, end);
    int second = first < 0 ? -1 : indexOf(b, (byte) ' ', first + 1, end);
    if (first <= 0
        || second <= first + 1
        || second + 1 >= end
        || indexOf(b, (byte) ' ', second + 1, end) >= 0
        || !startsWith(b, second + 1, end, VERSION_PREFIX)) {
      return null;
    }
    return new HttpMessage(
        true,
        text(b, 0, first),
        text(b, first + 1, second),
        text(b, second + 1, end),
        0,
        headers,
        length,
        truncated);
  }

  /**
   * "Name: value": the name trimmed and lower-cased, the value trimmed; lines without a name are
   * skipped.
   */
  private static void addHeader(byte[] b, int from, int to, HeaderMap.Builder headers) {
    int colon = indexOf(b, (byte) ':', from, to);
    if (colon <= from) {
      return; // the blank terminator, or an obsolete folded line
    }
    int nameFrom = skipSpace(b, from, colon);
    int nameTo = trimSpace(b, nameFrom, colon);
    int valueFrom = skipSpace(b, colon + 1, to);
    int valueTo = trimSpace(b, valueFrom, to);
    headers.add(lowerCaseText(b, nameFrom, nameTo), text(b, valueFrom, valueTo));
  }

  private static int lineEnd(byte[] b, int from, int length) {
    int newline = indexOf(b, (byte) '\n', from, length);
    return newline < 0 ? length : newline;
  }

  private static int trimCr(byte[] b, int from, int end) {
    return end > from && b[end - 1] == '\r' ? end - 1 : end;
  }

  /** As String.trim(): every byte up to and including the space counts as white space. */
  private static int skipSpace(byte[] b, int from, int to) {
    while (from < to && (b[from] & 0xFF) <= ' ') {
      from++;
    }
    return from;
  }

  private static int trimSpace(byte[] b, int from, int to) {
    while (to > from && (b[to - 1] & 0xFF) <= ' ') {
      to--;
    }
    return to;
  }

  private static int indexOf(byte[] b, byte value, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
    return to - from >= prefix.length && prefixMatches(b, from, prefix.length, prefix);
  }

  private static String text(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }

  /**
   * Header names every message has some of, returned as constants instead of a new String per
   * message.
   */
  private static final String[] COMMON_NAMES = {
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
    "user-agent",
    "accept",
    "accept-encoding",
    "date",
    "server",
    "traceparent",
    "tracestate",
    "x-request-id",
    "b3",
    "uber-trace-id",
    "x-forwarded-for",
    "x-real-ip",
    "cache-control",
    "keep-alive"
  };

  private static final byte[][] COMMON_NAME_BYTES = ascii(COMMON_NAMES);

  private static String lowerCaseText(byte[] b, int from, int to) {
    for (int n = 0; n < COMMON_NAMES.length; n++) {
      if (equalsIgnoreAsciiCase(b, from, to, COMMON_NAME_BYTES[n])) {
        return COMMON_NAMES[n];
      }
    }
    for (int i = from; i < to; i++) {
      if (b[i] >= 'A' && b[i] <= 'Z') {
        byte[] lower = java.util.Arrays.copyOfRange(b, from, to);
        for (int j = i - from; j < lower.length; j++) {
          if (lower[j] >= 'A' && lower[j] <= 'Z') {
            lower[j] += 'a' - 'A';
          }
        }
        return new String(lower, StandardCharsets.ISO_8859_1);
      }
    }
    return text(b, from, to);
  }

  /** Whether b[from, to) is {@code lowerCase} ignoring ASCII case. */
  private static boolean equalsIgnoreAsciiCase(byte[] b, int from, int to, byte[] lowerCase) {
    if (to - from != lowerCase.length) {
      return false;
    }
    for (int i = 0; i < lowerCase.length; i++) {
      int c = b[from + i];
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      if (c != lowerCase[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[][] ascii(String... tokens) {
    byte[][] out = new byte[tokens.length][];
    for (int i = 0; i < tokens.length; i++) {
      out[i] = tokens[i].getBytes(StandardCharsets.US_ASCII);
    }
    return out;
  }
}
