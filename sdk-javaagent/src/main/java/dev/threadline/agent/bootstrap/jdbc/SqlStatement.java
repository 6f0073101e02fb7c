package dev.threadline.agent.bootstrap.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a span may say about a SQL statement: the text with every literal replaced by {@code ?}
 * (literals carry user data), the operation, and the table it works on. Immutable but for a memo of
 * its last {@link #query}; {@link #parse} works out each distinct text once and keeps the result in
 * a bounded cache shared by all threads.
 */
public final class SqlStatement {
  private static final int MAX_LENGTH = 4096;

  /**
   * Distinct statement texts kept. An application has a few hundred; one that inlines its values in
   * the text has unboundedly many, and once the cache is full it stops growing (those texts are
   * parsed on each call, as they would be without it). Texts longer than {@link #MAX_LENGTH} are
   * not kept: at most about 1,024 × 4,096 chars × 2 (text and sanitized) are held.
   */
  static final int CACHE_SIZE = 1024;

  private static final ConcurrentHashMap<String, SqlStatement> CACHE =
      new ConcurrentHashMap<>(CACHE_SIZE * 2);

  private final String sanitized;
  private final String operation;
  private final String collection;
  // The span facts for the database this text was last run against: nearly always the only one.
  // A benign race: two threads may each make one; either is right.
  private volatile JdbcQuery lastQuery;

  private SqlStatement(String sanitized, String operation, String collection) {
    this.sanitized = sanitized;
    this.operation = operation;
    this.collection = collection;
  }

  /** The statement for {@code sql}, from the cache when this text was seen before. */
  public static SqlStatement parse(String sql) {
    SqlStatement cached = CACHE.get(sql);
    if (cached != null) {
      return cached;
    }
    SqlStatement statement = parseUncached(sql);
    if (sql.length() <= MAX_LENGTH && CACHE.size() < CACHE_SIZE) {
      // Not atomic with the size check: a few racing threads may take it a little past the size.
      CACHE.putIfAbsent(sql, statement);
    }
    return statement;
  }

  static SqlStatement parseUncached(String sql) {
    String sanitized = sanitize(sql);
    // Every word, not the first few: the table of a SELECT comes after its whole column list.
    String[] words = words(sanitized.trim(), Integer.MAX_VALUE);
    String operation =
        words.length > 0 && !words[0].isEmpty() ? words[0].toUpperCase(Locale.ROOT) : null;
    return new SqlStatement(sanitized, operation, collection(operation, words));
  }

  static int cached() {
    return CACHE.size();
  }

  /**
   * {@code text.split("[\\s(),;]+", limit)} without a regular expression: the text cut at each run
   * of white space (as {@code \\s} means it: space, tab, line feed, vertical tab, form feed,
   * carriage return) and the characters {@code (),;}, at most {@code limit - 1} times; the last
   * word is the rest of the text. A run at the start gives an empty first word; one at the end an
   * empty last word.
   */
  static String[] words(String text, int limit) {
    List<String> words = new ArrayList<>(Math.min(limit, 16));
    int n = text.length();
    int start = 0;
    int i = 0;
    while (words.size() < limit - 1) {
      while (i < n && !isSeparator(text.charAt(i))) {
        i++;
      }
      if (i == n) {
        break;
      }
      int runStart = i;
      while (i < n && isSeparator(text.charAt(i))) {
        i++;
      }
      words.add(text.substring(start, runStart));
      start = i;
    }
    words.add(text.substring(start));
    return words.toArray(new String[0]);
  }

  private static boolean isSeparator(char c) {
    switch (c) {
      case ' ':
      case '\t':
      case '\n':
      case '\u000B':
      case '\f':
      case '\r':
      case '(':
      case ')':
      case ',':
      case ';':
        return true;
      default:
        return false;
    }
  }

  /** The span facts of this statement run against {@code url}. */
  public JdbcQuery query(JdbcUrl url) {
    JdbcQuery last = lastQuery;
    if (last != null && last.url() == url) {
      return last;
    }
    JdbcQuery query = new JdbcQuery(this, url);
    lastQuery = query;
    return query;
  }

  public String sanitized() {
    return sanitized;
  }

  public String operation() {
    return operation;
  }

  public String collection() {
    return collection;
  }

  /**
   * Replaces string, number and hex literals with {@code ?}; identifiers and quoted identifiers
   * stay.
   */
  static String sanitize(String sql) {
    StringBuilder out = new StringBuilder(Math.min(sql.length(), MAX_LENGTH));
    int i = 0;
    int n = sql.length();
    while (i < n && out.length() < MAX_LENGTH) {
      char c = sql.charAt(i);
      if (c == '\'') {
        i = skipQuoted(sql, i, '\'');
        out.append('?');
      } else if (c == '"' || c == '`') {
        int end = skipQuoted(sql, i, c);
        out.append(sql, i, end);
        i = end;
      } else if (isIdentifierStart(c)) {
        int end = i + 1;
        while (end < n && isIdentifierPart(sql.charAt(end))) {
          end++;
        }
        out.append(sql, i, end);
        i = end;
      } else if (Character.isDigit(c)
          || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
        i = skipNumber(sql, i);
        out.append('?');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static int skipQuoted(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2; // doubled quote: an escaped quote inside the literal
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }

  private static int skipNumber(String sql, int start) {
    int i = start;
    if (sql.startsWith("0x", i) || sql.startsWith("0X", i)) {
      i += 2;
      while (i < sql.length() && Character.digit(sql.charAt(i), 16) >= 0) {
        i++;
      }
      return i;
    }
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (Character.isDigit(c) || c == '.') {
        i++;
      } else if ((c == 'e' || c == 'E')
          && i + 1 < sql.length()
          && (Character.isDigit(sql.charAt(i + 1))
              || sql.charAt(i + 1) == '-'
              || sql.charAt(i + 1) == '+')) {
        i += 2;
      } else {
        break;
      }
    }
    return i;
  }

  private static boolean isIdentifierStart(char c) {
    return Character.isLetter(c) || c == '_' || c == '$' || c == '@' || c == '#';
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.';
  }

  private static String collection(String operation, String[] words) {
    if (operation == null) {
      return null;
    }
    String keyword;
    switch (operation) {
      case "SELECT":
      case "DELETE":
        keyword = "FROM";
        break;
      case "INSERT":
      case "MERGE":
        keyword = "INTO";
        break;
      case "UPDATE":
        return words.length > 1 ? clean(words[1]) : null;
      default:
        return null;
    }
    for (int i = 1; i + 1 < words.length; i++) {
      if (words[i].equalsIgnoreCase(keyword)) {
        return clean(words[i + 1]);
      }
    }
    return null;
  }

  private static String clean(String word) {
    return word.isEmpty() || word.equals("?") ? null : word;
  }
}
