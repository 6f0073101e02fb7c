package dev.threadline.agent.bootstrap.springwebflux;

import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads propagation headers from Spring's {@code HttpHeaders} as the {@code Map<String,
 * List<String>>} it is (case-insensitive lookups), every value of a repeated header included.
 */
enum HeadersGetter implements TextMapGetter<Map<String, List<String>>> {
  INSTANCE;

  @Override
  public Iterable<String> keys(Map<String, List<String>> carrier) {
    return carrier.keySet();
  }

  @Override
  public String get(Map<String, List<String>> carrier, String key) {
    if (carrier == null) {
      return null;
    }
    List<String> values = carrier.get(key);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public Iterator<String> getAll(Map<String, List<String>> carrier, String key) {
    if (carrier == null) {
      return Collections.emptyIterator();
    }
    List<String> values = carrier.get(key);
    return values == null ? Collections.emptyIterator() : values.iterator();
  }
}
