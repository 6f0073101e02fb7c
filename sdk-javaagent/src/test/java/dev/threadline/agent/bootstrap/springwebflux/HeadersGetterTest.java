package dev.threadline.agent.bootstrap.springwebflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The WebFlux header getter gives the propagators every value of a repeated header. */
class HeadersGetterTest {
  @Test
  void everyValueOfARepeatedHeaderIsGiven() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("tracestate", List.of("a=1", "b=2"));
    headers.put("traceparent", List.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));

    assertThat(values(HeadersGetter.INSTANCE.getAll(headers, "tracestate")))
        .containsExactly("a=1", "b=2");
    assertThat(HeadersGetter.INSTANCE.get(headers, "tracestate")).isEqualTo("a=1");
    assertThat(HeadersGetter.INSTANCE.keys(headers)).containsExactly("tracestate", "traceparent");
  }

  @Test
  void anAbsentHeaderHasNoValue() {
    Map<String, List<String>> headers = Map.of("empty", List.of());
    assertThat(HeadersGetter.INSTANCE.get(headers, "empty")).isNull();
    assertThat(HeadersGetter.INSTANCE.get(headers, "missing")).isNull();
    assertThat(HeadersGetter.INSTANCE.getAll(headers, "missing").hasNext()).isFalse();
    assertThat(HeadersGetter.INSTANCE.getAll(null, "missing").hasNext()).isFalse();
  }

  private static List<String> values(Iterator<String> iterator) {
    List<String> values = new ArrayList<>();
    iterator.forEachRemaining(values::add);
    return values;
  }
}
