package dev.threadline.agent.it.w3c;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.it.AgentApp;
import dev.threadline.agent.it.SpanTree;
import dev.threadline.agent.it.w3c.TraceContextHarness.Received;
import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cases of the W3C Trace Context level-2 test suite (w3c/trace-context, {@code test/test.py},
 * strict level 2, spec level 2), written from the specification, against the Spring Boot
 * application with the agent: one test per suite case, named after it, asserting what it asserts.
 * Where the service continues a sampled trace or starts a new one, the test also checks at the
 * collector that the parent id it sent on is its own CLIENT span, under the SERVER span of the
 * request (whose parent is the caller's span, or none for a new trace).
 */
class TraceContextConformanceIT {
  private static final String TRACE_ID = "12345678901234567890123456789012";
  private static final String PARENT_ID = "1234567890123456";
  private static final String SAMPLED = "00-" + TRACE_ID + "-" + PARENT_ID + "-01";
  private static final String NOT_SAMPLED = "00-" + TRACE_ID + "-" + PARENT_ID + "-00";

  private static OtlpCollector collector;
  private static AgentApp app;
  private static TraceContextHarness harness;

  @BeforeAll
  static void start() throws Exception {
    collector = OtlpCollector.start();
    app = AgentApp.shop(false, collector.baseUrl());
    harness = new TraceContextHarness(URI.create("http://127.0.0.1:" + app.port() + "/w3c/test"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
    if (app != null) {
      app.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  private static Received send(String... headers) throws Exception {
    return harness.send(headers);
  }

  /** The trace goes on: same trace id, a new parent id. */
  private static void assertContinued(Received received) {
    assertThat(received.traceparent().traceId()).isEqualTo(TRACE_ID);
    assertThat(received.traceparent().parentId()).isNotEqualTo(PARENT_ID);
  }

  /** A sampled trace goes on, from the service's own span under the request's SERVER span. */
  private static void assertContinuedFromTheService(Received received) throws Exception {
    assertContinued(received);
    assertSentFromServiceSpan(received, PARENT_ID);
  }

  /** A new trace: neither the trace id sent nor any part of it. */
  private static void assertRestarted(Received received, String sentTraceId) throws Exception {
    String traceId = received.traceparent().traceId();
    assertThat(traceId).isNotEqualTo(TRACE_ID).isNotEqualTo(sentTraceId);
    assertThat(TRACE_ID).doesNotContain(traceId.substring(1));
    assertSentFromServiceSpan(received, "");
  }

  private static void assertRestarted(Received received) throws Exception {
    assertRestarted(received, TRACE_ID);
  }

  /**
   * The parent id of the callback is a CLIENT span the service exported, in the callback's trace,
   * below a SERVER span whose parent is {@code serverParent} (empty: the root of a new trace).
   */
  private static void assertSentFromServiceSpan(Received received, String serverParent)
      throws Exception {
    String traceId = received.traceparent().traceId();
    Span span = awaitSpan(traceId, received.traceparent().parentId());
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    while (span.getKind() != Span.SpanKind.SPAN_KIND_SERVER) {
      String parent = SpanTree.hex(span.getParentSpanId().toByteArray());
      assertThat(parent).as("a parent of the CLIENT span").isNotEmpty();
      span = awaitSpan(traceId, parent);
    }
    assertThat(span.getName()).isEqualTo("POST /w3c/test");
    assertThat(SpanTree.hex(span.getParentSpanId().toByteArray())).isEqualTo(serverParent);
  }

  private static Span awaitSpan(String traceId, String spanId) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (true) {
      Optional<Span> found =
          collector.spans().stream()
              .filter(s -> SpanTree.id(s).equals(spanId))
              .filter(s -> SpanTree.hex(s.getTraceId().toByteArray()).equals(traceId))
              .findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      assertThat(System.nanoTime())
          .as("span %s of trace %s exported", spanId, traceId)
          .isLessThan(deadline);
      collector.awaitSpans(collector.spans().size() + 1, java.time.Duration.ofMillis(200));
    }
  }

  private static void assertTracestateDiscarded(String... tracestates) throws Exception {
    Received received = sendTracestates(NOT_SAMPLED, tracestates);
    assertContinued(received);
    assertThat(received.tracestate()).isEmpty();
  }

  private static Received sendTracestates(String traceparent, String... tracestates)
      throws Exception {
    String[] headers = new String[2 + 2 * tracestates.length];
    headers[0] = "traceparent";
    headers[1] = traceparent;
    for (int i = 0; i < tracestates.length; i++) {
      headers[2 + 2 * i] = "tracestate";
      headers[3 + 2 * i] = tracestates[i];
    }
    return send(headers);
  }

  // TraceContextTest

  @Test
  @DisplayName("TraceContextTest.test_both_traceparent_and_tracestate_missing")
  void bothTraceparentAndTracestateMissing() throws Exception {
    assertSentFromServiceSpan(send(), "");
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_included_tracestate_missing")
  void traceparentIncludedTracestateMissing() throws Exception {
    assertContinuedFromTheService(send("traceparent", SAMPLED));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_duplicated")
  void traceparentDuplicated() throws Exception {
    String other = "12345678901234567890123456789011";
    Received received =
        send("traceparent", "00-" + other + "-" + PARENT_ID + "-01", "traceparent", SAMPLED);
    assertRestarted(received, other);
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_header_name")
  void traceparentHeaderName() throws Exception {
    assertRestarted(send("trace-parent", SAMPLED));
    assertRestarted(send("trace.parent", SAMPLED));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_header_name_valid_casing")
  void traceparentHeaderNameValidCasing() throws Exception {
    for (String name : List.of("TraceParent", "TrAcEpArEnT", "TRACEPARENT")) {
      assertContinuedFromTheService(send(name, SAMPLED));
    }
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_version_0x00")
  void traceparentVersion0x00() throws Exception {
    assertRestarted(send("traceparent", SAMPLED + "."));
    assertRestarted(send("traceparent", SAMPLED + "-what-the-future-will-be-like"));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_version_0xcc")
  void traceparentVersion0xcc() throws Exception {
    String future = "cc-" + TRACE_ID + "-" + PARENT_ID + "-01";
    assertContinuedFromTheService(send("traceparent", future));
    assertContinuedFromTheService(send("traceparent", future + "-what-the-future-will-be-like"));
    assertRestarted(send("traceparent", future + ".what-the-future-will-be-like"));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_version_0xff")
  void traceparentVersion0xff() throws Exception {
    assertRestarted(send("traceparent", "ff-" + TRACE_ID + "-" + PARENT_ID + "-01"));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_version_illegal_characters")
  void traceparentVersionIllegalCharacters() throws Exception {
    assertRestarted(send("traceparent", ".0-" + TRACE_ID + "-" + PARENT_ID + "-01"));
    assertRestarted(send("traceparent", "0.-" + TRACE_ID + "-" + PARENT_ID + "-01"));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_version_too_long")
  void traceparentVersionTooLong() throws Exception {
    assertRestarted(send("traceparent", "000-" + TRACE_ID + "-" + PARENT_ID + "-01"));
    assertRestarted(send("traceparent", "0000-" + TRACE_ID + "-" + PARENT_ID + "-01"));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_version_too_short")
  void traceparentVersionTooShort() throws Exception {
    assertRestarted(send("traceparent", "0-" + TRACE_ID + "-" + PARENT_ID + "-01"));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_trace_id_all_zero")
  void traceparentTraceIdAllZero() throws Exception {
    String zero = "0".repeat(32);
    assertRestarted(send("traceparent", "00-" + zero + "-" + PARENT_ID + "-01"), zero);
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_trace_id_illegal_characters")
  void traceparentTraceIdIllegalCharacters() throws Exception {
    assertRestarted(
        send("traceparent", "00-.2345678901234567890123456789012-" + PARENT_ID + "-01"));
    assertRestarted(
        send("traceparent", "00-1234567890123456789012345678901.-" + PARENT_ID + "-01"));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_trace_id_too_long")
  void traceparentTraceIdTooLong() throws Exception {
    Received received = send("traceparent", "00-" + TRACE_ID + "3-" + PARENT_ID + "-01");
    assertRestarted(received, "23456789012345678901234567890123");
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_trace_id_too_short")
  void traceparentTraceIdTooShort() throws Exception {
    assertRestarted(send("traceparent", "00-" + TRACE_ID.substring(1) + "-" + PARENT_ID + "-01"));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_parent_id_all_zero")
  void traceparentParentIdAllZero() throws Exception {
    assertRestarted(send("traceparent", "00-" + TRACE_ID + "-" + "0".repeat(16) + "-01"));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_parent_id_illegal_characters")
  void traceparentParentIdIllegalCharacters() throws Exception {
    assertRestarted(send("traceparent", "00-" + TRACE_ID + "-.234567890123456-01"));
    assertRestarted(send("traceparent", "00-" + TRACE_ID + "-123456789012345.-01"));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_parent_id_too_long")
  void traceparentParentIdTooLong() throws Exception {
    assertRestarted(send("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "7-01"));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_parent_id_too_short")
  void traceparentParentIdTooShort() throws Exception {
    assertRestarted(send("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID.substring(1) + "-01"));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_trace_flags_illegal_characters")
  void traceparentTraceFlagsIllegalCharacters() throws Exception {
    assertRestarted(send("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-.0"));
    assertRestarted(send("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-0."));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_trace_flags_too_long")
  void traceparentTraceFlagsTooLong() throws Exception {
    assertRestarted(send("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-001"));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_trace_flags_too_short")
  void traceparentTraceFlagsTooShort() throws Exception {
    assertRestarted(send("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-1"));
  }

  @Test
  @DisplayName("TraceContextTest.test_traceparent_ows_handling")
  void traceparentOwsHandling() throws Exception {
    for (String value :
        List.of(
            " " + SAMPLED,
            "\t" + SAMPLED,
            SAMPLED + " ",
            SAMPLED + "\t",
            "\t " + SAMPLED + " \t")) {
      assertContinuedFromTheService(send("traceparent", value));
    }
  }

  @Test
  @DisplayName("TraceContextTest.test_tracestate_included_traceparent_missing")
  void tracestateIncludedTraceparentMissing() throws Exception {
    Received one = send("tracestate", "foo=1");
    Received two = send("tracestate", "foo=1,bar=2");
    assertThat(one.tracestate()).hasSameSizeAs(two.tracestate()).isEmpty();
    assertSentFromServiceSpan(one, "");
  }

  @Test
  @DisplayName("TraceContextTest.test_tracestate_included_traceparent_included")
  void tracestateIncludedTraceparentIncluded() throws Exception {
    Received received = sendTracestates(NOT_SAMPLED, "foo=1,bar=2");
    assertContinued(received);
    assertThat(received.tracestate()).containsEntry("foo", "1").containsEntry("bar", "2");
    // Sampled too, so the span the service sent it from is checked.
    assertContinuedFromTheService(sendTracestates(SAMPLED, "foo=1,bar=2"));
  }

  @Test
  @DisplayName("TraceContextTest.test_tracestate_header_name")
  void tracestateHeaderName() throws Exception {
    assertThat(send("traceparent", NOT_SAMPLED, "trace-state", "foo=1").tracestate())
        .doesNotContainKey("foo");
    assertThat(send("traceparent", NOT_SAMPLED, "trace.state", "foo=1").tracestate())
        .doesNotContainKey("foo");
  }

  @Test
  @DisplayName("TraceContextTest.test_tracestate_header_name_valid_casing")
  void tracestateHeaderNameValidCasing() throws Exception {
    for (String name : List.of("TraceState", "TrAcEsTaTe", "TRACESTATE")) {
      assertThat(send("traceparent", NOT_SAMPLED, name, "foo=1").tracestate())
          .containsEntry("foo", "1");
    }
  }

  @Test
  @DisplayName("TraceContextTest.test_tracestate_empty_header")
  void tracestateEmptyHeader() throws Exception {
    Received empty = sendTracestates(NOT_SAMPLED, "");
    assertContinued(empty);
    assertThat(empty.tracestate()).isEmpty();
    Received after = sendTracestates(NOT_SAMPLED, "foo=1", "");
    assertContinued(after);
    assertThat(after.tracestate()).containsEntry("foo", "1");
    Received before = sendTracestates(NOT_SAMPLED, "", "foo=1");
    assertContinued(before);
    assertThat(before.tracestate()).containsEntry("foo", "1");
  }

  @Test
  @DisplayName("TraceContextTest.test_tracestate_multiple_headers_different_keys")
  void tracestateMultipleHeadersDifferentKeys() throws Exception {
    Received received = sendTracestates(NOT_SAMPLED, "foo=1,bar=2", "rojo=1,congo=2", "baz=3");
    assertContinued(received);
    assertThat(received.tracestateText()).isEqualTo("foo=1,bar=2,rojo=1,congo=2,baz=3");
  }

  @Test
  @DisplayName("TraceContextTest.test_tracestate_duplicated_keys")
  void tracestateDuplicatedKeys() throws Exception {
    // The specification lets a vendor keep or drop a repeated key it did not generate; the list is
    // still inherited. Threadline keeps the left-most entry.
    Received same = sendTracestates(NOT_SAMPLED, "foo=1,foo=1");
    assertContinued(same);
    assertThat(same.tracestateText()).contains("foo=1");
    Received different = sendTracestates(NOT_SAMPLED, "foo=1,foo=2");
    assertContinued(different);
    assertThat(different.tracestateText()).containsAnyOf("foo=1", "foo=2");
    Received sameInTwoHeaders = sendTracestates(NOT_SAMPLED, "foo=1", "foo=1");
    assertContinued(sameInTwoHeaders);
    assertThat(sameInTwoHeaders.tracestateText()).contains("foo=1");
    Received differentInTwoHeaders = sendTracestates(NOT_SAMPLED, "foo=1", "foo=2");
    assertContinued(differentInTwoHeaders);
    assertThat(differentInTwoHeaders.tracestateText()).containsAnyOf("foo=1", "foo=2");
  }

  @Test
  @DisplayName("TraceContextTest.test_tracestate_all_allowed_characters")
  void tracestateAllAllowedCharacters() throws Exception {
    String key = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
    String vendorKey = key + "@a-z0-9_-*/";
    String value =
        IntStream.rangeClosed(0x20, 0x7e)
            .filter(c -> c != ',' && c != '=')
            .mapToObj(c -> String.valueOf((char) c))
            .collect(Collectors.joining());
    assertThat(sendTracestates(NOT_SAMPLED, key + "=" + value).tracestate())
        .containsEntry(key, value);
    assertThat(sendTracestates(NOT_SAMPLED, vendorKey + "=" + value).tracestate())
        .containsEntry(vendorKey, value);
  }

  @Test
  @DisplayName("TraceContextTest.test_tracestate_ows_handling")
  void tracestateOwsHandling() throws Exception {
    for (String tracestate :
        List.of("foo=1 \t , \t bar=2, \t baz=3", "foo=1\t \t,\t \tbar=2,\t \tbaz=3")) {
      assertThat(sendTracestates(NOT_SAMPLED, tracestate).tracestate())
          .containsEntry("foo", "1")
          .containsEntry("bar", "2")
          .containsEntry("baz", "3");
    }
    for (String tracestate : List.of(" foo=1", "\tfoo=1", "foo=1 ", "foo=1\t", "\t foo=1 \t")) {
      Received received = sendTracestates(NOT_SAMPLED, tracestate);
      assertContinued(received);
      assertThat(received.tracestate()).containsEntry("foo", "1");
    }
  }

  @Test
  @DisplayName("TraceContextTest.test_tracestate_key_illegal_characters")
  void tracestateKeyIllegalCharacters() throws Exception {
    assertThat(sendTracestates(NOT_SAMPLED, "foo =1").tracestate()).doesNotContainKey("foo ");
    assertThat(sendTracestates(NOT_SAMPLED, "FOO=1").tracestate()).doesNotContainKey("FOO");
    assertThat(sendTracestates(NOT_SAMPLED, "foo.bar=1").tracestate()).doesNotContainKey("foo.bar");
    // Discarded as a whole, the traceparent still used.
    assertTracestateDiscarded("baz=3", "foo.bar=1");
  }

  @Test
  @DisplayName("TraceContextTest.test_tracestate_key_illegal_vendor_format")
  void tracestateKeyIllegalVendorFormat() throws Exception {
    assertThat(sendTracestates(NOT_SAMPLED, "foo@=1,bar=2").tracestate())
        .containsEntry("foo@", "1")
        .containsEntry("bar", "2");
    assertThat(sendTracestates(NOT_SAMPLED, "@foo=1,bar=2").tracestate()).doesNotContainKey("bar");
    assertThat(sendTracestates(NOT_SAMPLED, "foo@@bar=1,bar=2").tracestate())
        .containsEntry("foo@@bar", "1")
        .containsEntry("bar", "2");
    assertThat(sendTracestates(NOT_SAMPLED, "foo@bar@baz=1,bar=2").tracestate())
        .containsEntry("foo@bar@baz", "1")
        .containsEntry("bar", "2");
  }

  @Test
  @DisplayName("TraceContextTest.test_tracestate_member_count_limit")
  void tracestateMemberCountLimit() throws Exception {
    List<String> full = List.of(members(1, 10), members(11, 20), members(21, 30), members(31, 32));
    Received received = sendTracestates(NOT_SAMPLED, full.toArray(new String[0]));
    assertThat(received.tracestate()).containsEntry("bar01", "01").hasSize(32);
    List<String> over = List.of(members(1, 10), members(11, 20), members(21, 30), members(31, 33));
    assertThat(sendTracestates(NOT_SAMPLED, over.toArray(new String[0])).tracestate())
        .doesNotContainKey("bar01");
  }

  private static String members(int from, int to) {
    return IntStream.rangeClosed(from, to)
        .mapToObj(i -> String.format("bar%02d=%02d", i, i))
        .collect(Collectors.joining(","));
  }

  @Test
  @DisplayName("TraceContextTest.test_tracestate_key_length_limit")
  void tracestateKeyLengthLimit() throws Exception {
    for (String key :
        List.of(
            "z".repeat(256),
            "t".repeat(241) + "@" + "v".repeat(14),
            "t".repeat(242) + "@v",
            "t@" + "v".repeat(15))) {
      assertThat(sendTracestates(NOT_SAMPLED, "foo=1", key + "=1").tracestate())
          .as(key)
          .containsEntry("foo", "1")
          .containsEntry(key, "1");
    }
    assertThat(sendTracestates(NOT_SAMPLED, "foo=1", "z".repeat(257) + "=1").tracestate())
        .doesNotContainKey("foo");
  }

  @Test
  @DisplayName("TraceContextTest.test_tracestate_value_illegal_characters")
  void tracestateValueIllegalCharacters() throws Exception {
    assertThat(sendTracestates(NOT_SAMPLED, "foo=bar=baz").tracestate()).doesNotContainKey("foo");
    assertThat(sendTracestates(NOT_SAMPLED, "foo=,bar=3").tracestate())
        .doesNotContainKey("foo")
        .doesNotContainKey("bar");
  }

  // AdvancedTest

  @Test
  @DisplayName("AdvancedTest.test_multiple_requests_with_valid_traceparent")
  void multipleRequestsWithValidTraceparent() throws Exception {
    List<Received> callbacks = harness.send(3, "traceparent", SAMPLED);
    Set<String> parents = new HashSet<>();
    for (Received received : callbacks) {
      assertContinuedFromTheService(received);
      parents.add(received.traceparent().parentId());
    }
    assertThat(parents).hasSize(3);
  }

  @Test
  @DisplayName("AdvancedTest.test_multiple_requests_without_traceparent")
  void multipleRequestsWithoutTraceparent() throws Exception {
    List<Received> callbacks = harness.send(3);
    assertThat(callbacks.stream().map(r -> r.traceparent().parentId()).distinct()).hasSize(3);
    // One request, one new trace.
    assertThat(callbacks.stream().map(r -> r.traceparent().traceId()).distinct()).hasSize(1);
    for (Received received : callbacks) {
      assertSentFromServiceSpan(received, "");
    }
  }

  @Test
  @DisplayName("AdvancedTest.test_multiple_requests_with_illegal_traceparent")
  void multipleRequestsWithIllegalTraceparent() throws Exception {
    String zero = "0".repeat(32);
    List<Received> callbacks =
        harness.send(3, "traceparent", "00-" + zero + "-" + PARENT_ID + "-01");
    assertThat(callbacks.stream().map(r -> r.traceparent().traceId())).doesNotContain(zero);
    assertThat(callbacks.stream().map(r -> r.traceparent().parentId()).distinct()).hasSize(3);
    for (Received received : callbacks) {
      assertRestarted(received, zero);
    }
  }

  // TraceContext2Test

  @Test
  @DisplayName("TraceContext2Test.test_propagates_random_flag")
  void propagatesRandomFlag() throws Exception {
    Received received = send("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-02");
    assertContinued(received);
    assertThat(received.traceparent().flags() & 0x02).as("random flag").isEqualTo(0x02);
    // Flags this version does not define are sent as 0.
    assertThat(received.traceparent().flags() & ~0x03).isZero();
    assertThat(received.traceparent().version()).isEqualTo("00");
  }
}
