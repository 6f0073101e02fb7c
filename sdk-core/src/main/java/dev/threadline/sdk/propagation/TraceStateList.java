package dev.threadline.sdk.propagation;

import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A {@code tracestate} list as W3C Trace Context level 2 defines it, left-most member first.
 *
 * <p>OpenTelemetry's own {@link TraceState} still checks keys against the level-1 grammar ({@code
 * tenant@system} with at most 241 and 14 characters, one {@code @}), so it would silently drop keys
 * level 2 allows ({@code foo@}, {@code t@vvvvvvvvvvvvvvv}); this list keeps them.
 */
final class TraceStateList implements TraceState {
  /** Members a list may have. */
  static final int MAX_MEMBERS = 32;

  /** Characters a key or a value may have. */
  static final int MAX_LENGTH = 256;

  private final List<String> keys;
  private final List<String> values;

  private TraceStateList(List<String> keys, List<String> values) {
    this.keys = keys;
    this.values = values;
  }

  /**
   * The list the {@code tracestate} fields of one request make, combined in order; the empty trace
   * state when there are none or when the combined list is invalid.
   */
  static TraceState parse(Iterator<String> fields) {
    List<String> keys = new ArrayList<>();
    List<String> values = new ArrayList<>();
    int members = 0;
    while (fields != null && fields.hasNext()) {
      String field = fields.next();
      if (field == null) {
        continue;
      }
      int start = 0;
      while (start <= field.length()) {
        int comma = field.indexOf(',', start);
        int end = comma < 0 ? field.length() : comma;
        String member = Ows.trim(field.substring(start, end));
        start = end + 1;
        if (member.isEmpty()) {
          continue; // empty and whitespace-only members are allowed
        }
        if (++members > MAX_MEMBERS) {
          return TraceState.getDefault();
        }
        int eq = member.indexOf('=');
        if (eq < 0) {
          return TraceState.getDefault();
        }
        String key = member.substring(0, eq);
        String value = member.substring(eq + 1);
        if (!isValidKey(key) || !isValidValue(value)) {
          return TraceState.getDefault();
        }
        if (!keys.contains(key)) {
          // A repeated key is the sender's mistake; the left-most entry is the most recent one.
          keys.add(key);
          values.add(value);
        }
      }
    }
    return keys.isEmpty() ? TraceState.getDefault() : new TraceStateList(keys, values);
  }

  /** The {@code tracestate} field value of any trace state; empty when it has no member. */
  static String format(TraceState traceState) {
    if (traceState == null || traceState.isEmpty()) {
      return "";
    }
    StringBuilder value = new StringBuilder(64);
    traceState.forEach(
        (key, entry) -> {
          if (value.length() > 0) {
            value.append(',');
          }
          value.append(key).append('=').append(entry);
        });
    return value.toString();
  }

  /** {@code key = ( lcalpha / DIGIT ) 0*255 ( lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@" )}. */
  static boolean isValidKey(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
      return false;
    }
    char first = key.charAt(0);
    if (!isLowerAlphaOrDigit(first)) {
      return false;
    }
    for (int i = 1; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!isLowerAlphaOrDigit(c) && c != '_' && c != '-' && c != '*' && c != '/' && c != '@') {
        return false;
      }
    }
    return true;
  }

  /** {@code value = 0*255( %x20 / nblk-chr ) nblk-chr}, {@code nblk-chr} printable but , and =. */
  static boolean isValidValue(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
        return false;
      }
    }
    return value.charAt(value.length() - 1) != ' ';
  }

  private static boolean isLowerAlphaOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  @Override
  public String get(String key) {
    int index = key == null ? -1 : keys.indexOf(key);
    return index < 0 ? null : values.get(index);
  }

  @Override
  public int size() {
    return keys.size();
  }

  @Override
  public boolean isEmpty() {
    return keys.isEmpty();
  }

  @Override
  public void forEach(BiConsumer<String, String> consumer) {
    if (consumer == null) {
      return;
    }
    for (int i = 0; i < keys.size(); i++) {
      consumer.accept(keys.get(i), values.get(i));
    }
  }

  @Override
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    forEach(map::put);
    return Collections.unmodifiableMap(map);
  }

  @Override
  public TraceStateBuilder toBuilder() {
    return new Builder(keys, values);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TraceStateList
        && keys.equals(((TraceStateList) other).keys)
        && values.equals(((TraceStateList) other).values);
  }

  @Override
  public int hashCode() {
    return 31 * keys.hashCode() + values.hashCode();
  }

  @Override
  public String toString() {
    return "TraceStateList{" + format(this) + "}";
  }

  /**
   * Mutations as the specification allows them: a put member goes to the front (once), a list of 32
   * loses its right-most member, an invalid key or value is ignored.
   */
  static final class Builder implements TraceStateBuilder {
    private final List<String> keys;
    private final List<String> values;

    Builder(List<String> keys, List<String> values) {
      this.keys = new ArrayList<>(keys);
      this.values = new ArrayList<>(values);
    }

    @Override
    public TraceStateBuilder put(String key, String value) {
      if (!isValidKey(key) || !isValidValue(value)) {
        return this;
      }
      remove(key);
      keys.add(0, key);
      values.add(0, value);
      if (keys.size() > MAX_MEMBERS) {
        keys.remove(MAX_MEMBERS);
        values.remove(MAX_MEMBERS);
      }
      return this;
    }

    @Override
    public TraceStateBuilder remove(String key) {
      int index = key == null ? -1 : keys.indexOf(key);
      if (index >= 0) {
        keys.remove(index);
        values.remove(index);
      }
      return this;
    }

    @Override
    public TraceState build() {
      return keys.isEmpty()
          ? TraceState.getDefault()
          : new TraceStateList(List.copyOf(keys), List.copyOf(values));
    }
  }
}
