package dev.threadline.agent.bootstrap.http;

import dev.threadline.agent.bootstrap.AgentTracing;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The propagation headers of one incoming request, with every value of a repeated header, and the
 * extraction of the trace context from them: the entry point every server instrumentation shares.
 * Advice reads the values of {@link ServerSpans#propagationHeaders()} off its library's request
 * (all of them: {@code HttpServletRequest.getHeaders(name)}, Netty's {@code
 * HttpHeaders.getAll(name)}) and passes them here as plain strings; the configured propagators then
 * see them through a {@link TextMapGetter} whose {@code getAll} gives each value in order (W3C
 * Trace Context needs it: two {@code traceparent} values restart the trace, several {@code
 * tracestate} values are one list).
 */
public final class RequestHeaders {
  private static final String[] NONE = new String[0];

  private final String[] names;
  private final String[][] values;

  private RequestHeaders(String[] names, String[][] values) {
    this.names = names;
    this.values = values;
  }

  /**
   * The parent context of a request: {@code current} with what the configured propagators extract
   * from the headers.
   *
   * @param names header names (any case)
   * @param values every value of each header, same order as {@code names}; {@code null} or empty
   *     where a header is absent
   */
  public static Context extract(Context current, String[] names, String[][] values) {
    return AgentTracing.propagator()
        .extract(current, new RequestHeaders(names, values), Getter.INSTANCE);
  }

  /** The values of an {@code Enumeration} (the servlet API's), {@code null} when there are none. */
  public static String[] values(Enumeration<String> values) {
    if (values == null || !values.hasMoreElements()) {
      return null;
    }
    String first = values.nextElement();
    if (!values.hasMoreElements()) {
      return new String[] {first}; // the usual case: one array, no list
    }
    List<String> all = new ArrayList<>();
    all.add(first);
    while (values.hasMoreElements()) {
      all.add(values.nextElement());
    }
    return all.toArray(NONE);
  }

  /** One value per header (or {@code null}), as every value of each. */
  static String[][] single(String[] values) {
    String[][] all = new String[values.length][];
    for (int i = 0; i < values.length; i++) {
      all[i] = values[i] == null ? null : new String[] {values[i]};
    }
    return all;
  }

  private String[] valuesOf(String key) {
    for (int i = 0; i < names.length && i < values.length; i++) {
      if (names[i] != null && names[i].equalsIgnoreCase(key) && values[i] != null) {
        return values[i];
      }
    }
    return NONE;
  }

  private enum Getter implements TextMapGetter<RequestHeaders> {
    INSTANCE;

    @Override
    public Iterable<String> keys(RequestHeaders carrier) {
      return Arrays.asList(carrier.names);
    }

    @Override
    public String get(RequestHeaders carrier, String key) {
      if (carrier == null) {
        return null;
      }
      for (String value : carrier.valuesOf(key)) {
        if (value != null) {
          return value;
        }
      }
      return null;
    }

    @Override
    public Iterator<String> getAll(RequestHeaders carrier, String key) {
      if (carrier == null) {
        return Collections.emptyIterator();
      }
      return new Values(carrier.valuesOf(key));
    }
  }

  /** The non-null values of one header, in order: one object per extraction, not a stream. */
  private static final class Values implements Iterator<String> {
    private final String[] values;
    private int next;

    Values(String[] values) {
      this.values = values;
      skipNulls();
    }

    @Override
    public boolean hasNext() {
      return next < values.length;
    }

    @Override
    public String next() {
      if (next >= values.length) {
        throw new NoSuchElementException();
      }
      String value = values[next++];
      skipNulls();
      return value;
    }

    private void skipNulls() {
      while (next < values.length && values[next] == null) {
        next++;
      }
    }
  }
}
