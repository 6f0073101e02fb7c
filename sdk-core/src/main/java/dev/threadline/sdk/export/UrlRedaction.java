package dev.threadline.sdk.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Removes secrets from URLs before they leave the process: the values of query parameters whose
 * names are on a list become {@value SensitiveHeaders#REDACTED}, and userinfo ({@code
 * user:password@}) is removed. Parameter names match without case, after percent-decoding and
 * {@code +} as a space; the parameter names and everything else (path, other parameters, the
 * fragment) are kept as they were. A fragment written like a query ({@code
 * #access_token=…&state=…}, as OAuth's implicit flow does) has its listed parameters redacted too.
 *
 * <p>Immutable and thread-safe. When nothing needs redacting the very same {@code String} is
 * returned and nothing is allocated; no regular expression is used. Malformed input (stray {@code
 * %}, no scheme, empty names) never throws: it is scanned the same way, and what cannot be a listed
 * name is left alone.
 */
public final class UrlRedaction {

  /**
   * The parameter names redacted unless configured otherwise: common credential names, AWS
   * Signature V2/V4 query authentication ({@code AWSAccessKeyId}, {@code Signature}, {@code
   * X-Amz-Signature}, {@code X-Amz-Credential}, {@code X-Amz-Security-Token}), Google Cloud Storage
   * signed URLs ({@code GoogleAccessId}, {@code X-Goog-Signature}, {@code X-Goog-Credential}) and
   * Azure shared access signatures ({@code sig}).
   */
  public static final List<String> DEFAULT_PARAMETERS =
      List.of(
          "token",
          "access_token",
          "api_key",
          "apikey",
          "key",
          "password",
          "passwd",
          "secret",
          "signature",
          "sig",
          "auth",
          "session",
          "jwt",
          "AWSAccessKeyId",
          "X-Amz-Signature",
          "X-Amz-Credential",
          "X-Amz-Security-Token",
          "GoogleAccessId",
          "X-Goog-Signature",
          "X-Goog-Credential");

  private static final UrlRedaction DEFAULTS = new UrlRedaction(DEFAULT_PARAMETERS);
  private static final String REDACTED = SensitiveHeaders.REDACTED;

  /** The configured names as given (for {@link #parameters()}). */
  private final List<String> parameters;

  /** Lower-cased names, indexed by length: {@code byLength[n]} holds the names of n chars. */
  private final String[][] byLength;

  private final Set<String> lowerCase;

  private UrlRedaction(Collection<String> names) {
    Set<String> kept = new LinkedHashSet<>();
    Set<String> lower = new LinkedHashSet<>();
    int longest = 0;
    for (String name : names) {
      String trimmed = name == null ? "" : name.trim();
      if (!trimmed.isEmpty() && lower.add(trimmed.toLowerCase(Locale.ROOT))) {
        kept.add(trimmed);
        longest = Math.max(longest, trimmed.length());
      }
    }
    this.parameters = List.copyOf(kept);
    this.lowerCase = Set.copyOf(lower);
    List<List<String>> grouped = new ArrayList<>();
    for (int i = 0; i <= longest; i++) {
      grouped.add(new ArrayList<>());
    }
    for (String name : lower) {
      grouped.get(name.length()).add(name);
    }
    byLength = new String[longest + 1][];
    for (int i = 0; i <= longest; i++) {
      byLength[i] = grouped.get(i).toArray(new String[0]);
    }
  }

  /** Redacts {@link #DEFAULT_PARAMETERS}. */
  public static UrlRedaction defaults() {
    return DEFAULTS;
  }

  /** Redacts exactly {@code names} (blank entries ignored); an empty list redacts userinfo only. */
  public static UrlRedaction of(Collection<String> names) {
    return new UrlRedaction(names);
  }

  /**
   * From a comma-separated list of names, as the {@code threadline.redact.query.parameters} setting
   * gives it: the list replaces the defaults; {@code null}, a blank value or nothing but blank
   * entries means the defaults.
   */
  public static UrlRedaction parse(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return DEFAULTS;
    }
    UrlRedaction parsed = new UrlRedaction(List.of(commaSeparated.split(",")));
    return parsed.parameters.isEmpty() ? DEFAULTS : parsed;
  }

  /** The parameter names redacted, as configured. */
  public List<String> parameters() {
    return parameters;
  }

  /**
   * Redacts an absolute URL ({@code url.full}, {@code http.url}): userinfo removed, listed query
   * parameters' values replaced. Also accepts what is not absolute (a path with a query).
   *
   * @return {@code url} itself when there is nothing to redact
   */
  public String redactUrl(String url) {
    if (url == null) {
      return null;
    }
    int authority = authorityStart(url);
    if (authority < 0) {
      return redact(url, -1, -1, 0, false);
    }
    int end = authority;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    int at = url.lastIndexOf('@', end - 1);
    return redact(url, authority, at >= authority ? at : -1, end, false);
  }

  /**
   * Redacts a request target or a path that may carry a query ({@code http.target}, {@code
   * url.path}, {@code /search?q=1&token=…}); an absolute-form target (a proxy's) is redacted as a
   * URL.
   *
   * @return {@code target} itself when there is nothing to redact
   */
  public String redactTarget(String target) {
    if (target == null) {
      return null;
    }
    return authorityStart(target) >= 0 ? redactUrl(target) : redact(target, -1, -1, 0, false);
  }

  /**
   * Redacts a query string without its {@code ?} ({@code url.query}); the whole string is the
   * query, a {@code #} included.
   *
   * @return {@code query} itself when there is nothing to redact
   */
  public String redactQuery(String query) {
    if (query == null) {
      return null;
    }
    return redact(query, -1, -1, 0, true);
  }

  /**
   * The one scan behind the public methods: drops {@code text[authority, userinfoEnd]} when {@code
   * userinfoEnd >= 0}, then redacts the listed pairs of the query and of the fragment found from
   * {@code scanFrom} on (or, with {@code wholeIsQuery}, of all of {@code text}). Nothing is
   * allocated until the first change.
   */
  private String redact(
      String text, int authority, int userinfoEnd, int scanFrom, boolean wholeIsQuery) {
    StringBuilder out = null;
    int copied = 0;
    if (userinfoEnd >= 0) {
      out = new StringBuilder(text.length() + REDACTED.length());
      out.append(text, 0, authority);
      copied = userinfoEnd + 1;
    }
    int end = text.length();
    int queryStart;
    int queryEnd;
    int fragmentStart;
    if (wholeIsQuery) {
      queryStart = scanFrom;
      queryEnd = end;
      fragmentStart = -1;
    } else {
      int hash = text.indexOf('#', scanFrom);
      queryEnd = hash < 0 ? end : hash;
      int question = indexOf(text, '?', scanFrom, queryEnd);
      queryStart = question < 0 ? -1 : question + 1;
      fragmentStart = hash < 0 ? -1 : hash + 1;
    }
    for (int part = 0; part < 2; part++) {
      int from = part == 0 ? queryStart : fragmentStart;
      int to = part == 0 ? queryEnd : end;
      if (from < 0) {
        continue;
      }
      for (int start = from; start <= to; ) {
        int amp = separator(text, start, to);
        int pairEnd = amp < 0 ? to : amp;
        int equals = indexOf(text, '=', start, pairEnd);
        if (equals > start
            && equals + 1 < pairEnd
            && !isRedacted(text, equals + 1, pairEnd)
            && isListed(text, start, equals)) {
          if (out == null) {
            out = new StringBuilder(text.length() + REDACTED.length());
          }
          out.append(text, copied, equals + 1).append(REDACTED);
          copied = pairEnd;
        }
        start = pairEnd + 1;
      }
    }
    return out == null ? text : out.append(text, copied, end).toString();
  }

  /**
   * The first {@code &} or {@code ?} in {@code text[from, to)}, or -1. A {@code ?} inside a query
   * is a separator here although servers read it as part of a value: {@code ??token=…} and a URL
   * left unencoded inside a value ({@code next=/p?token=…}) are redacted too.
   */
  private static int separator(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '&' || c == '?') {
        return i;
      }
    }
    return -1;
  }

  /** The first {@code c} in {@code text[from, to)}, or -1. */
  private static int indexOf(String text, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isRedacted(String text, int from, int to) {
    return to - from == REDACTED.length() && text.startsWith(REDACTED, from);
  }

  /** Whether {@code text[from, to)} is a listed name (any case, percent-decoded, {@code +}). */
  private boolean isListed(String text, int from, int to) {
    int length = to - from;
    if (length == 0) {
      return false;
    }
    boolean encoded = false;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '%' || c == '+') {
        encoded = true;
        break;
      }
    }
    if (!encoded) {
      if (length >= byLength.length) {
        return false;
      }
      for (String name : byLength[length]) {
        if (text.regionMatches(true, from, name, 0, length)) {
          return true;
        }
      }
      return false;
    }
    return lowerCase.contains(decode(text, from, to).toLowerCase(Locale.ROOT));
  }

  /**
   * Lenient form decoding: {@code +} is a space, a {@code %} not followed by two hex digits stays.
   */
  static String decode(String text, int from, int to) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        int high = i + 1 < to ? Character.digit(text.charAt(i + 1), 16) : -1;
        int low = i + 2 < to ? Character.digit(text.charAt(i + 2), 16) : -1;
        if (high >= 0 && low >= 0) {
          bytes.write(high * 16 + low);
          i += 2;
        } else {
          bytes.write('%');
        }
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /**
   * Where the authority starts (after {@code scheme://}, or after a leading {@code //}), or -1 when
   * there is none.
   */
  private static int authorityStart(String text) {
    if (text.startsWith("//")) {
      return 2;
    }
    int i = 0;
    int length = text.length();
    if (length == 0 || !isAsciiLetter(text.charAt(0))) {
      return -1;
    }
    while (i < length) {
      char c = text.charAt(i);
      if (c == ':') {
        return text.startsWith("//", i + 1) ? i + 3 : -1;
      }
      if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
        return -1;
      }
      i++;
    }
    return -1;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  @Override
  public String toString() {
    return "UrlRedaction" + parameters;
  }
}
