package dev.threadline.bridge.http;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The headers of one message as an immutable map in arrival order: two parallel arrays, searched
 * linearly, since a message has a handful of headers and a hash table would cost more to build than
 * all its lookups.
 */
final class HeaderMap extends AbstractMap<String, String> {
  static final HeaderMap EMPTY = new HeaderMap(new String[0], new String[0], 0);

  private final String[] names;
  private final String[] values;
  private final int size;

  private HeaderMap(String[] names, String[] values, int size) {
    this.names = names;
    this.values = values;
    this.size = size;
  }

  static HeaderMap copyOf(Map<String, String> headers) {
    Builder b = new Builder();
    headers.forEach(b::add);
    return b.build();
  }

  @Override
  public String get(Object name) {
    for (int i = 0; i < size; i++) {
      if (names[i].equals(name)) {
        return values[i];
      }
    }
    return null;
  }

  @Override
  public boolean containsKey(Object name) {
    return get(name) != null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Entry<String, String> next() {
            if (next >= size) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(names[i], values[i]);
          }
        };
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  /** Collects headers; a repeated name gets its values joined with ", " (RFC 9110, 5.3). */
  static final class Builder {
    private String[] names = new String[8];
    private String[] values = new String[8];
    private int size;

    Builder add(String name, String value) {
      for (int i = 0; i < size; i++) {
        if (names[i].equals(name)) {
          values[i] = values[i] + ", " + value;
          return this;
        }
      }
      if (size == names.length) {
        names = java.util.Arrays.copyOf(names, size * 2);
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      names[size] = name;
      values[size++] = value;
      return this;
    }

    HeaderMap build() {
      return size == 0 ? EMPTY : new HeaderMap(names, values, size);
    }
  }
}
