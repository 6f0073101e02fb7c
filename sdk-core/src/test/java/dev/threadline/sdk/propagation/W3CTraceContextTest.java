package dev.threadline.sdk.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of W3C Trace Context level 2, one by one, against {@link W3CTraceContext}. */
class W3CTraceContextTest {
  private static final String TRACE_ID = "12345678901234567890123456789012";
  private static final String PARENT_ID = "1234567890123456";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_ID + "-01";
  private static final TextMapPropagator PROPAGATOR = W3CTraceContext.propagator();

  /** Header fields as received, in order, names repeated as often as the request repeats them. */
  private static final class Fields {
    final List<String[]> fields = new ArrayList<>();

    Fields add(String name, String value) {
      fields.add(new String[] {name, value});
      return this;
    }
  }

  /** A getter like the agent's server getters: every value of a repeated field, names any case. */
  private static final TextMapGetter<Fields> GET_ALL =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Fields carrier) {
          return carrier.fields.stream().map(f -> f[0]).collect(Collectors.toList());
        }

        @Override
        public String get(Fields carrier, String key) {
          Iterator<String> all = getAll(carrier, key);
          return all.hasNext() ? all.next() : null;
        }

        @Override
        public Iterator<String> getAll(Fields carrier, String key) {
          return carrier.fields.stream()
              .filter(f -> f[0].equalsIgnoreCase(key))
              .map(f -> f[1])
              .iterator();
        }
      };

  private static SpanContext extract(Fields fields) {
    return Span.fromContext(PROPAGATOR.extract(Context.root(), fields, GET_ALL)).getSpanContext();
  }

  private static SpanContext extract(String traceparent, String... tracestates) {
    Fields fields = new Fields().add("traceparent", traceparent);
    for (String tracestate : tracestates) {
      fields.add("tracestate", tracestate);
    }
    return extract(fields);
  }

  private static Map<String, String> inject(SpanContext context) {
    Map<String, String> headers = new LinkedHashMap<>();
    PROPAGATOR.inject(Context.root().with(Span.wrap(context)), headers, Map::put);
    return headers;
  }

  private static String tracestate(String... tracestates) {
    return TraceStateList.format(extract(TRACEPARENT, tracestates).getTraceState());
  }

  @Test
  void keepsTheTraceIdParentIdAndFlagsOfAValidTraceparent() {
    SpanContext context = extract(TRACEPARENT);
    assertThat(context.isValid()).isTrue();
    assertThat(context.isRemote()).isTrue();
    assertThat(context.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(context.getSpanId()).isEqualTo(PARENT_ID);
    assertThat(context.isSampled()).isTrue();
    assertThat(context.getTraceFlags().isTraceIdRandom()).isFalse();
  }

  @Test
  void keepsTheRandomFlagAndClearsFlagsItDoesNotKnow() {
    TraceFlags random = extract("00-" + TRACE_ID + "-" + PARENT_ID + "-02").getTraceFlags();
    assertThat(random.isTraceIdRandom()).isTrue();
    assertThat(random.isSampled()).isFalse();
    assertThat(extract("00-" + TRACE_ID + "-" + PARENT_ID + "-ff").getTraceFlags().asHex())
        .isEqualTo("03");
  }

  @ParameterizedTest(name = "valid: [{0}]")
  @ValueSource(
      strings = {
        " 00-12345678901234567890123456789012-1234567890123456-01",
        "\t00-12345678901234567890123456789012-1234567890123456-01",
        "00-12345678901234567890123456789012-1234567890123456-01 \t",
        "cc-12345678901234567890123456789012-1234567890123456-01",
        "cc-12345678901234567890123456789012-1234567890123456-01-what-the-future-will-be-like",
      })
  void acceptsOptionalWhitespaceAndFutureVersions(String traceparent) {
    assertThat(extract(traceparent).getTraceId()).isEqualTo(TRACE_ID);
  }

  @ParameterizedTest(name = "invalid: [{0}]")
  @ValueSource(
      strings = {
        "00-12345678901234567890123456789012-1234567890123456-01.",
        "00-12345678901234567890123456789012-1234567890123456-01-what-the-future-will-be-like",
        "cc-12345678901234567890123456789012-1234567890123456-01.what-the-future-will-be-like",
        "ff-12345678901234567890123456789012-1234567890123456-01",
        ".0-12345678901234567890123456789012-1234567890123456-01",
        "000-12345678901234567890123456789012-1234567890123456-01",
        "0-12345678901234567890123456789012-1234567890123456-01",
        "00-00000000000000000000000000000000-1234567890123456-01",
        "00-.2345678901234567890123456789012-1234567890123456-01",
        "00-123456789012345678901234567890123-1234567890123456-01",
        "00-1234567890123456789012345678901-1234567890123456-01",
        "00-12345678901234567890123456789012-0000000000000000-01",
        "00-12345678901234567890123456789012-123456789012345.-01",
        "00-12345678901234567890123456789012-12345678901234567-01",
        "00-12345678901234567890123456789012-123456789012345-01",
        "00-12345678901234567890123456789012-1234567890123456-.0",
        "00-12345678901234567890123456789012-1234567890123456-001",
        "00-12345678901234567890123456789012-1234567890123456-1",
        "00-1234567890123456789012345678901A-1234567890123456-01",
        "00-12345678901234567890123456789012-1234567890123456-01\r",
        "",
      })
  void restartsOnAnInvalidTraceparentAndIgnoresItsTracestate(String traceparent) {
    SpanContext context = extract(traceparent, "foo=1");
    assertThat(context.isValid()).isFalse();
    assertThat(context.getTraceState().isEmpty()).isTrue();
  }

  @Test
  void twoTraceparentFieldsAreInvalidEvenWhenEqual() {
    assertThat(
            extract(
                    new Fields()
                        .add(
                            "traceparent",
                            "00-" + TRACE_ID.replace('2', '1') + "-" + PARENT_ID + "-01")
                        .add("traceparent", TRACEPARENT))
                .isValid())
        .isFalse();
    assertThat(
            extract(new Fields().add("traceparent", TRACEPARENT).add("TRACEPARENT", TRACEPARENT))
                .isValid())
        .isFalse();
  }

  @Test
  void headerNamesAreCaseInsensitive() {
    SpanContext context =
        extract(new Fields().add("TrAcEpArEnT", TRACEPARENT).add("TRACESTATE", "foo=1"));
    assertThat(context.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(context.getTraceState().get("foo")).isEqualTo("1");
  }

  @Test
  void tracestateWithoutTraceparentIsDiscarded() {
    assertThat(extract(new Fields().add("tracestate", "foo=1")).isValid()).isFalse();
  }

  @Test
  void severalTracestateFieldsCombineInOrder() {
    assertThat(tracestate("foo=1,bar=2", "rojo=1,congo=2", "baz=3"))
        .isEqualTo("foo=1,bar=2,rojo=1,congo=2,baz=3");
  }

  @Test
  void emptyFieldsAndEmptyMembersAreSkipped() {
    assertThat(extract(TRACEPARENT, "").getTraceState().isEmpty()).isTrue();
    assertThat(extract(TRACEPARENT, "").getTraceId()).isEqualTo(TRACE_ID);
    assertThat(tracestate("foo=1", "")).isEqualTo("foo=1");
    assertThat(tracestate("", "foo=1")).isEqualTo("foo=1");
    assertThat(tracestate(" , foo=1,, \t ,bar=2,")).isEqualTo("foo=1,bar=2");
  }

  @Test
  void whitespaceAroundMembersIsNotPartOfThem() {
    assertThat(tracestate("foo=1 \t , \t bar=2, \t baz=3")).isEqualTo("foo=1,bar=2,baz=3");
    assertThat(tracestate("\t foo=1 \t")).isEqualTo("foo=1");
    // Leading spaces of a value are the value's; trailing ones are optional whitespace.
    assertThat(extract(TRACEPARENT, "foo= 1 ").getTraceState().get("foo")).isEqualTo(" 1");
  }

  @Test
  void keysFollowTheLevel2Grammar() {
    String lcalphaDigits = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
    String value =
        IntStream.rangeClosed(0x20, 0x7e)
            .filter(c -> c != ',' && c != '=')
            .mapToObj(c -> String.valueOf((char) c))
            .collect(Collectors.joining());
    assertThat(extract(TRACEPARENT, lcalphaDigits + "=" + value).getTraceState().get(lcalphaDigits))
        .isEqualTo(value);
    for (String key :
        List.of(
            lcalphaDigits + "@a-z0-9_-*/",
            "foo@",
            "foo@@bar",
            "foo@bar@baz",
            "0foo",
            "z".repeat(256),
            "t".repeat(241) + "@" + "v".repeat(14),
            "t".repeat(242) + "@v",
            "t@" + "v".repeat(15))) {
      assertThat(tracestate("foo=1", key + "=1", "bar=2"))
          .as(key)
          .isEqualTo("foo=1," + key + "=1,bar=2");
    }
  }

  @ParameterizedTest(name = "discarded: [{0}]")
  @ValueSource(
      strings = {
        "foo =1",
        "FOO=1",
        "foo.bar=1",
        "@foo=1,bar=2",
        "_foo=1",
        "foo=bar=baz",
        "foo=,bar=3",
        "foo",
        "=1",
        "foo=1\tx",
        "foo=\u00e9",
      })
  void anInvalidMemberDiscardsTheWholeTracestateButNotTheTraceparent(String tracestate) {
    SpanContext context = extract(TRACEPARENT, "baz=3", tracestate);
    assertThat(context.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(context.getTraceState().isEmpty()).isTrue();
    assertThat(inject(context)).doesNotContainKey("tracestate");
  }

  @Test
  void keysAndValuesMayHave256CharactersNotMore() {
    assertThat(tracestate("foo=1", "z".repeat(256) + "=1")).endsWith("=1").startsWith("foo=1,");
    assertThat(tracestate("foo=1", "z".repeat(257) + "=1")).isEmpty();
    assertThat(tracestate("foo=" + "v".repeat(256))).isEqualTo("foo=" + "v".repeat(256));
    assertThat(tracestate("foo=" + "v".repeat(257))).isEmpty();
  }

  @Test
  void aListHasAtMost32Members() {
    String members =
        IntStream.rangeClosed(1, 32)
            .mapToObj(i -> String.format("bar%02d=%02d", i, i))
            .collect(Collectors.joining(","));
    TraceState full = extract(TRACEPARENT, members).getTraceState();
    assertThat(full.size()).isEqualTo(32);
    assertThat(full.get("bar01")).isEqualTo("01");
    assertThat(extract(TRACEPARENT, members, "bar33=33").getTraceState().isEmpty()).isTrue();
    // Empty members do not count.
    assertThat(extract(TRACEPARENT, members, ",, ,").getTraceState().size()).isEqualTo(32);
  }

  @Test
  void aRepeatedKeyKeepsItsLeftMostEntry() {
    assertThat(tracestate("foo=1,foo=1")).isEqualTo("foo=1");
    assertThat(tracestate("foo=1,foo=2")).isEqualTo("foo=1");
    assertThat(tracestate("foo=1", "foo=2", "bar=3")).isEqualTo("foo=1,bar=3");
  }

  @Test
  void injectsVersion00WithTheTracestateAsReceived() {
    SpanContext context = extract("cc-" + TRACE_ID + "-" + PARENT_ID + "-03-future", "b@=1", "a=2");
    assertThat(inject(context))
        .containsExactly(
            Map.entry("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-03"),
            Map.entry("tracestate", "b@=1,a=2"));
  }

  @Test
  void injectsNothingForAnInvalidContextAndNoEmptyTracestate() {
    assertThat(inject(SpanContext.getInvalid())).isEmpty();
    assertThat(
            inject(
                SpanContext.create(
                    TRACE_ID, PARENT_ID, TraceFlags.getDefault(), TraceState.getDefault())))
        .containsOnlyKeys("traceparent");
  }

  @Test
  void aGetterWithoutGetAllStillWorks() {
    TextMapGetter<Map<String, String>> plain =
        new TextMapGetter<>() {
          @Override
          public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
          }

          @Override
          public String get(Map<String, String> carrier, String key) {
            return carrier.get(key);
          }
        };
    Context context =
        PROPAGATOR.extract(
            Context.root(), Map.of("traceparent", TRACEPARENT, "tracestate", "foo=1"), plain);
    assertThat(Span.fromContext(context).getSpanContext().getTraceState().get("foo"))
        .isEqualTo("1");
  }

  @Test
  void theBuilderPutsNewMembersFirstAndKeeps32() {
    TraceState received = extract(TRACEPARENT, "a=1,b=2,c@=3").getTraceState();
    TraceStateBuilder builder = received.toBuilder().put("b", "9").put("Bad", "1").put("d", "");
    assertThat(TraceStateList.format(builder.build())).isEqualTo("b=9,a=1,c@=3");
    TraceStateBuilder ours = received.toBuilder();
    for (int i = 0; i < 40; i++) {
      ours.put("k" + i, "v");
    }
    TraceState capped = ours.build();
    assertThat(capped.size()).isEqualTo(32);
    assertThat(capped.get("k39")).isEqualTo("v");
    assertThat(capped.get("a")).isNull();
    assertThat(received.toBuilder().remove("a").remove("b").remove("c@").build().isEmpty())
        .isTrue();
    assertThat(received.asMap())
        .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c@", "3"));
    assertThat(received).isEqualTo(extract(TRACEPARENT, "a=1", "b=2,c@=3").getTraceState());
  }

  @Test
  void takesThePlaceOfOpenTelemetrysW3cPropagatorOnly() {
    assertThat(W3CTraceContext.inPlaceOf(W3CTraceContextPropagator.getInstance()))
        .isSameAs(PROPAGATOR);
    assertThat(W3CTraceContext.inPlaceOf(W3CBaggagePropagator.getInstance()))
        .isSameAs(W3CBaggagePropagator.getInstance());
    assertThat(PROPAGATOR.fields()).containsExactly("traceparent", "tracestate");
  }
}
