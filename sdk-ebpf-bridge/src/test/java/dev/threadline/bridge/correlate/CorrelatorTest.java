package dev.threadline.bridge.correlate;

import static dev.threadline.bridge.correlate.Exchanges.a;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.correlate.Exchanges.S;
import dev.threadline.bridge.node.store.Origin;
import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.node.store.SpanView;
import dev.threadline.bridge.node.store.StoreLimits;
import dev.threadline.bridge.node.store.TraceQuery;
import dev.threadline.bridge.node.store.TraceSnapshot;
import dev.threadline.bridge.node.store.TraceStore;
import dev.threadline.bridge.node.store.TraceSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The join rules one at a time: each test gives the correlator exactly the evidence one rule needs
 * (S spans as the socket tracer assembles them, A spans as the receiver stores them, in a real
 * store) and checks where every span ends up, in arrival orders both ways where they can differ.
 */
class CorrelatorTest {
  private static final String T1 = "11111111111111111111111111111111";
  private static final String T2 = "22222222222222222222222222222222";
  private static final String CLIENT_SPAN = "aaaaaaaaaaaaaaaa";
  private static final String SERVER_SPAN = "bbbbbbbbbbbbbbbb";

  private final AtomicLong nowMillis = new AtomicLong(1_000);
  private final List<SpanRecord> settled = new ArrayList<>();
  private SimpleMeterRegistry registry;
  private TraceStore store;
  private Correlator correlator;

  @BeforeEach
  void setUp() {
    registry = new SimpleMeterRegistry();
    store = TraceStore.create(StoreLimits.defaults());
    correlator =
        Correlator.builder(store, CorrelatorMetrics.register(registry))
            .clock(nowMillis::get)
            .joinWindow(Duration.ofSeconds(10))
            .proc(Path.of("/nonexistent-proc"))
            .onSettled(settled::addAll)
            .build();
  }

  @Test
  void anSpJoinsUnderTheCpWithTheSameFirstSequenceNumberOnMirroredEndsInEitherOrder() {
    correlator.accept(gatewayCp(1000).build());
    correlator.accept(backendSp(1000).build());
    correlator.accept(backendSp(9000).build()); // the next request on the same connection
    correlator.accept(gatewayCp(9000).build());

    List<TraceSnapshot> traces = traces();
    assertThat(traces).hasSize(2);
    for (TraceSnapshot trace : traces) {
      SpanView cp = only(trace, "c-p");
      SpanView sp = only(trace, "s-p");
      assertThat(sp.parentSpanId()).isEqualTo(cp.record().spanId());
      assertThat(sp.record().attribute(JoinRule.ATTRIBUTE)).isEqualTo("tcp_seq");
      assertThat(cp.record().attribute("threadline.tcp.request_seq"))
          .isEqualTo(sp.record().attribute("threadline.tcp.request_seq"));
    }
    assertThat(joins("tcp_seq")).isEqualTo(2);
  }

  @Test
  void aSameSequenceNumberOnAnotherConnectionIsNoJoin() {
    correlator.accept(gatewayCp(1000).build());
    correlator.accept(backendSp(1000).ends(8080, 40001).build()); // another client port

    assertThat(traces()).hasSize(2);
    assertThat(joins("tcp_seq")).isZero();
  }

  @Test
  void aCpCarryingTraceparentHangsUnderTheClientSpanThatSentIt() {
    correlator.accept(
        gatewayCp(1000).header("traceparent", "00-" + T1 + "-" + CLIENT_SPAN + "-01").build());

    TraceSnapshot trace = store.get(T1).orElseThrow();
    SpanView cp = only(trace, "c-p");
    assertThat(cp.parentSpanId()).isEqualTo(CLIENT_SPAN);
    assertThat(cp.record().attribute(JoinRule.ATTRIBUTE)).isEqualTo("traceparent");
    assertThat(cp.record().attribute("threadline.request.traceparent")).contains(CLIENT_SPAN);
  }

  @Test
  void b3AndJaegerHeadersJoinToo() {
    correlator.accept(gatewayCp(1000).header("b3", T1 + "-" + CLIENT_SPAN + "-1").build());
    correlator.accept(
        gatewayCp(2000)
            .ends(40002, 8080)
            .header("uber-trace-id", T2 + ":" + SERVER_SPAN + ":0:1")
            .build());

    assertThat(only(store.get(T1).orElseThrow(), "c-p").record().attribute(JoinRule.ATTRIBUTE))
        .isEqualTo("b3");
    assertThat(only(store.get(T2).orElseThrow(), "c-p").parentSpanId()).isEqualTo(SERVER_SPAN);
  }

  @Test
  void aMalformedTraceparentIsNoEvidence() {
    correlator.accept(gatewayCp(1000).header("traceparent", "00-" + T1 + "-zz-01").build());

    assertThat(store.get(T1)).isEmpty();
    assertThat(only(traces().get(0), "c-p").parentSpanId()).isEmpty();
  }

  @Test
  void anSpWithTraceparentGoesBetweenTheCallerAndTheServerSpanThatArrivesLater() {
    correlator.accept(
        backendSp(1000).header("traceparent", "00-" + T1 + "-" + CLIENT_SPAN + "-01").build());
    // The backend's SDK exports its SERVER span a batch later.
    store.add(List.of(a(T1, SERVER_SPAN, CLIENT_SPAN, "SERVER", "backend", ms(1001), ms(1009))));
    correlator.sweep();

    TraceSnapshot trace = store.get(T1).orElseThrow();
    SpanView sp = only(trace, "s-p");
    assertThat(sp.parentSpanId()).isEqualTo(CLIENT_SPAN);
    assertThat(view(trace, SERVER_SPAN).parentSpanId()).isEqualTo(sp.record().spanId());
  }

  @Test
  void anSpResponseStampAdoptsTheServerSpanItNamesWhetherItCameBeforeOrAfter() {
    store.add(List.of(a(T1, SERVER_SPAN, "", "SERVER", "shop-web", ms(1001), ms(1009))));
    correlator.accept(backendSp(1000).responseStamp(T1, SERVER_SPAN).build());
    String late = "cccccccccccccccc";
    correlator.accept(
        backendSp(5000).time(ms(2000), ms(2010)).responseStamp(T2, late).ends(8080, 40009).build());
    store.add(List.of(a(T2, late, "", "SERVER", "shop-web", ms(2001), ms(2009))));
    correlator.sweep();

    for (String[] pair : new String[][] {{T1, SERVER_SPAN}, {T2, late}}) {
      TraceSnapshot trace = store.get(pair[0]).orElseThrow();
      SpanView sp = only(trace, "s-p");
      assertThat(view(trace, pair[1]).parentSpanId()).isEqualTo(sp.record().spanId());
      assertThat(sp.parentSpanId()).isEmpty(); // nothing above it yet: the top of the trace
      assertThat(trace.summary().traceId()).isEqualTo(pair[0]);
    }
    assertThat(joins("stamp")).isEqualTo(2);
  }

  @Test
  void aResponseStampNamingAnInnerSpanAdoptsItsServerSpan() {
    String inner = "dddddddddddddddd";
    store.add(
        List.of(
            a(T1, SERVER_SPAN, "", "SERVER", "shop-web", ms(1001), ms(1009)),
            a(T1, inner, SERVER_SPAN, "INTERNAL", "shop-web", ms(1002), ms(1008))));
    correlator.accept(backendSp(1000).responseStamp(T1, inner).build());

    TraceSnapshot trace = store.get(T1).orElseThrow();
    assertThat(view(trace, SERVER_SPAN).parentSpanId())
        .isEqualTo(only(trace, "s-p").record().spanId());
    assertThat(view(trace, inner).parentSpanId()).isEqualTo(SERVER_SPAN);
  }

  @Test
  void aResponseStampNamingAnInnerSpanWaitsForItsServerSpanExportedLater() {
    String inner = "dddddddddddddddd";
    // The SDK exports a span when it ends: the controller span comes a batch before the SERVER.
    store.add(List.of(a(T1, inner, SERVER_SPAN, "INTERNAL", "shop-web", ms(1002), ms(1008))));
    correlator.accept(backendSp(1000).responseStamp(T1, inner).build());
    store.add(List.of(a(T1, SERVER_SPAN, "", "SERVER", "shop-web", ms(1001), ms(1009))));
    correlator.sweep();

    TraceSnapshot trace = store.get(T1).orElseThrow();
    assertThat(view(trace, SERVER_SPAN).parentSpanId())
        .isEqualTo(only(trace, "s-p").record().spanId());
    assertThat(view(trace, inner).parentSpanId()).isEqualTo(SERVER_SPAN);
  }

  @Test
  void aCpRequestStampPutsItUnderTheSpanCurrentOnTheSendingThreadOnceThatSpanIsKnown() {
    correlator.accept(gatewayCp(1000).requestStamp(T1, CLIENT_SPAN).build());
    assertThat(store.get(T1)).isEmpty(); // not trusted before the span is known

    store.add(List.of(a(T1, CLIENT_SPAN, "", "CLIENT", "shop-web", ms(999), ms(1011))));
    correlator.sweep();

    SpanView cp = only(store.get(T1).orElseThrow(), "c-p");
    assertThat(cp.parentSpanId()).isEqualTo(CLIENT_SPAN);
    assertThat(cp.record().attribute(JoinRule.ATTRIBUTE)).isEqualTo("stamp");
  }

  @Test
  void aStampNamingASpanThatWasNotOpenAtTheEventIsRejected() {
    store.add(List.of(a(T1, CLIENT_SPAN, "", "CLIENT", "shop-web", ms(500), ms(600))));
    correlator.accept(gatewayCp(1000).requestStamp(T1, CLIENT_SPAN).build());

    assertThat(store.get(T1).orElseThrow().spans()).hasSize(1);
    assertThat(registry.get("threadline.correlator.stamps.rejected").counter().count())
        .isEqualTo(1);
  }

  @Test
  void theClockOffsetIsReadAsEachSpanArrivesSoAWallClockStepKeepsStampJoins() {
    AtomicLong offset = new AtomicLong();
    Correlator stepped =
        Correlator.builder(store, CorrelatorMetrics.register(registry))
            .clock(nowMillis::get)
            .clockOffset(offset::get)
            .proc(Path.of("/nonexistent-proc"))
            .build();
    store.add(List.of(a(T1, SERVER_SPAN, "", "SERVER", "shop-web", ms(1001), ms(1009))));
    stepped.accept(backendSp(1000).responseStamp(T1, SERVER_SPAN).build());

    // The wall clock is stepped two seconds ahead; the SDK times its next spans on it.
    offset.set(ms(2000));
    String later = "cccccccccccccccc";
    store.add(List.of(a(T2, later, "", "SERVER", "shop-web", ms(4001), ms(4009))));
    stepped.accept(
        backendSp(5000)
            .time(ms(2000), ms(2010))
            .responseStamp(T2, later)
            .ends(8080, 40009)
            .build());

    assertThat(joins("stamp")).isEqualTo(2);
    assertThat(only(store.get(T1).orElseThrow(), "s-p").record().startEpochNanos())
        .as("the first span keeps the offset it arrived with")
        .isEqualTo(ms(1001));
    assertThat(only(store.get(T2).orElseThrow(), "s-p").record().startEpochNanos())
        .isEqualTo(ms(4000));
  }

  @Test
  void aPlainGatewaysCpJoinsTheSpItProxiesByMethodAndTarget() {
    // nginx: the upstream answers (c-p completes) before the client is answered (s-p).
    correlator.accept(nginxCp("/shop/a?m=1", ms(1001), ms(1008)).seq(1).build());
    correlator.accept(nginxCp("/shop/b?m=2", ms(1002), ms(1007)).seq(2).ends(41001, 8090).build());
    correlator.accept(nginxSp("/shop/b?m=2", ms(1000), ms(1010)).seq(3).build());
    correlator.accept(nginxSp("/shop/a?m=1", ms(1000), ms(1010)).seq(4).ends(8080, 50001).build());

    for (TraceSnapshot trace : traces()) {
      SpanView sp = only(trace, "s-p");
      SpanView cp = only(trace, "c-p");
      assertThat(cp.parentSpanId()).isEqualTo(sp.record().spanId());
      assertThat(cp.record().attribute("url.path")).isEqualTo(sp.record().attribute("url.path"));
      assertThat(cp.record().attribute(JoinRule.ATTRIBUTE)).isEqualTo("proxy");
      assertThat(cp.record().attribute(JoinRule.INFERRED_ATTRIBUTE)).isNull();
      assertThat(trace.spans())
          .allSatisfy(v -> assertThat(v.record().traceId()).isEqualTo(trace.summary().traceId()));
    }
    assertThat(traces()).hasSize(2);
  }

  @Test
  void identicalConcurrentRequestsThroughAPlainGatewayJoinTheOldestAndSayItIsInferred() {
    correlator.accept(nginxCp("/same", ms(1001), ms(1005)).seq(1).build());
    correlator.accept(nginxCp("/same", ms(1002), ms(1006)).seq(2).ends(41001, 8090).build());
    correlator.accept(nginxSp("/same", ms(1000), ms(1010)).seq(3).build());

    SpanView oldest =
        traces().stream()
            .flatMap(t -> t.spans().stream())
            .filter(v -> "1".equals(v.record().attribute("threadline.tcp.request_seq")))
            .findFirst()
            .orElseThrow();
    assertThat(oldest.parentSpanId()).isNotEmpty();
    assertThat(oldest.record().attribute(JoinRule.INFERRED_ATTRIBUTE)).isEqualTo("true");
  }

  @Test
  void secretsInTheCapturedQueryAreRedactedAndOnlyJoinKeyHeadersAreKept() {
    correlator.accept(
        nginxSp("/login?user=ann&access_token=s3cr3t&password=hunter2", ms(1000), ms(1010))
            .header("Authorization", "Bearer abc")
            .header("Cookie", "sid=1")
            .header("X-Request-Id", "r-1")
            .build());

    SpanRecord sp = only(traces().get(0), "s-p").record();
    assertThat(sp.attribute("url.query"))
        .isEqualTo("user=ann&access_token=REDACTED&password=REDACTED");
    assertThat(sp.name()).isEqualTo("GET /login");
    assertThat(sp.attribute("threadline.request.request_id")).isEqualTo("r-1");
    assertThat(sp.attributes().toString()).doesNotContain("s3cr3t", "hunter2", "Bearer", "sid=1");
  }

  @Test
  void aCpOutsideTheSpsTimeIsNotItsProxiedHop() {
    correlator.accept(nginxCp("/x", ms(900), ms(950)).seq(1).build());
    correlator.accept(nginxSp("/x", ms(1000), ms(1010)).seq(3).build());

    assertThat(traces()).hasSize(2);
  }

  @Test
  void onlyARequestIdTiesAGatewaysSpToItsCpAndTheBackendsSp() {
    // Kong: X-Kong-Request-Id goes upstream and back to the client. No sequence numbers match
    // (the backend is on another host, say), no traceparent anywhere.
    String id = "7f3c9a";
    correlator.accept(
        nginxCp("/shop", ms(1001), ms(1008)).seq(1).header("X-Kong-Request-Id", id).build());
    correlator.accept(
        backendSp(77).pid(300).time(ms(1002), ms(1007)).header("X-Kong-Request-Id", id).build());
    correlator.accept(
        nginxSp("/shop", ms(1000), ms(1010))
            .seq(3)
            .responseHeader("X-Kong-Request-Id", id)
            .build());

    assertThat(traces()).hasSize(1);
    TraceSnapshot trace = traces().get(0);
    SpanView top = only(trace, "s-p", 200);
    SpanView cp = only(trace, "c-p");
    SpanView backend = only(trace, "s-p", 300);
    assertThat(cp.parentSpanId()).isEqualTo(top.record().spanId());
    assertThat(backend.parentSpanId()).isEqualTo(cp.record().spanId());
    assertThat(cp.record().attribute(JoinRule.ATTRIBUTE)).isEqualTo("request_id");
    assertThat(backend.record().attribute(JoinRule.ATTRIBUTE)).isEqualTo("request_id");
  }

  @Test
  void theWholeChainThroughAPlainGatewayBecomesTheApplicationTrace() {
    // Arrival order as the kernel reports it: backend s-p, gateway c-p, gateway s-p; the
    // backend's SERVER span is exported last.
    correlator.accept(
        backendSp(1000).time(ms(1002), ms(1007)).responseStamp(T1, SERVER_SPAN).build());
    correlator.accept(nginxCp("/", ms(1001), ms(1008)).seq(1000).ends(40000, 8080).build());
    correlator.accept(nginxSp("/", ms(1000), ms(1010)).seq(5).ends(80, 50000).build());
    String derived = only(traces().get(0), "s-p", 200).record().traceId();
    store.add(List.of(a(T1, SERVER_SPAN, "", "SERVER", "backend", ms(1003), ms(1006))));
    correlator.sweep();

    assertThat(traces()).hasSize(1);
    TraceSnapshot trace = store.get(T1).orElseThrow();
    SpanView top = only(trace, "s-p", 200);
    assertThat(top.parentSpanId()).isEmpty();
    assertThat(only(trace, "c-p").parentSpanId()).isEqualTo(top.record().spanId());
    SpanView backend = only(trace, "s-p", 100);
    assertThat(backend.parentSpanId()).isEqualTo(only(trace, "c-p").record().spanId());
    assertThat(view(trace, SERVER_SPAN).parentSpanId()).isEqualTo(backend.record().spanId());
    assertThat(store.get(derived).orElseThrow().summary().traceId()).isEqualTo(T1);
    assertThat(trace.spans())
        .as("the S spans' made-up trace ids are gone: they show the one they are forwarded with")
        .allSatisfy(v -> assertThat(v.record().traceId()).isEqualTo(T1));
    assertThat(trace.summary().rootName()).isEqualTo("GET /");
    assertThat(trace.summary().rootService()).isEqualTo("worker"); // the process is gone: comm
  }

  @Test
  void aStampNeverMergesTwoApplicationTraces() {
    store.add(List.of(a(T2, SERVER_SPAN, "", "SERVER", "backend", ms(1001), ms(1009))));
    correlator.accept(
        backendSp(1000)
            .header("traceparent", "00-" + T1 + "-" + CLIENT_SPAN + "-01")
            .responseStamp(T2, SERVER_SPAN)
            .build());

    assertThat(store.get(T2).orElseThrow().summary().traceId()).isEqualTo(T2);
    assertThat(view(store.get(T2).orElseThrow(), SERVER_SPAN).parentSpanId()).isEmpty();
    assertThat(
            registry
                .get("threadline.correlator.join.conflicts")
                .tag("rule", "stamp")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aGatewayThatTracesItselfGetsItsSpAboveItsRootSpan() {
    // Kong's plugin: kong (SERVER) → kong.balancer (CLIENT), whose id goes upstream.
    String kong = "1010101010101010";
    String balancer = "2020202020202020";
    correlator.accept(
        nginxCp("/shop", ms(1001), ms(1008))
            .seq(1)
            .header("traceparent", "00-" + T1 + "-" + balancer + "-01")
            .build());
    correlator.accept(nginxSp("/shop", ms(1000), ms(1010)).seq(3).build());
    store.add(
        List.of(
            a(T1, kong, "", "SERVER", "kong", ms(1000), ms(1010)),
            a(T1, balancer, kong, "CLIENT", "kong", ms(1001), ms(1008))));
    correlator.sweep();

    TraceSnapshot trace = store.get(T1).orElseThrow();
    SpanView sp = only(trace, "s-p");
    assertThat(view(trace, kong).parentSpanId()).isEqualTo(sp.record().spanId());
    assertThat(only(trace, "c-p").parentSpanId()).isEqualTo(balancer);
    assertThat(traces()).hasSize(1);
  }

  @Test
  void aCpWithNoEvidenceGoesUnderTheSpItsThreadWasAnsweringThenUnderTheDeepestOpenSpan() {
    String inner = "dddddddddddddddd";
    correlator.accept(
        backendSp(1000).tid(7).time(ms(1000), ms(1010)).responseStamp(T1, SERVER_SPAN).build());
    // An uninstrumented client (no header, no stamp) called from the request's thread.
    correlator.accept(
        S.client().pid(100).tid(7).ends(45000, 6379).l4().time(ms(1003), ms(1004)).build());
    store.add(
        List.of(
            a(T1, SERVER_SPAN, "", "SERVER", "worker", ms(1001), ms(1009)),
            a(T1, inner, SERVER_SPAN, "INTERNAL", "worker", ms(1002), ms(1008))));

    nowMillis.addAndGet(Correlator.WEAK_GRACE_MILLIS);
    correlator.sweep();
    SpanView cp = only(store.get(T1).orElseThrow(), "c-p");
    assertThat(cp.record().attribute(JoinRule.ATTRIBUTE)).isEqualTo("adjacency");
    assertThat(cp.record().attribute(JoinRule.INFERRED_ATTRIBUTE)).isEqualTo("true");
    assertThat(cp.parentSpanId())
        .isEqualTo(only(store.get(T1).orElseThrow(), "s-p").record().spanId());

    nowMillis.addAndGet(10_000);
    correlator.sweep();
    cp = only(store.get(T1).orElseThrow(), "c-p");
    assertThat(cp.parentSpanId()).isEqualTo(inner);
    assertThat(cp.record().attribute(JoinRule.ATTRIBUTE)).isEqualTo("containment");
  }

  @Test
  void adjacencyIsNeverUsedInAProcessThatServesTwoRequestsAtOnceOnOneThread() {
    correlator.accept(backendSp(1000).tid(7).time(ms(1000), ms(1010)).build());
    correlator.accept(
        backendSp(2000).tid(7).ends(8080, 40001).time(ms(1001), ms(1011)).build()); // event loop
    correlator.accept(
        S.client().pid(100).tid(7).ends(45000, 6379).l4().time(ms(1003), ms(1004)).build());

    nowMillis.addAndGet(Correlator.WEAK_GRACE_MILLIS);
    correlator.sweep();

    assertThat(joins("adjacency")).isZero();
  }

  @Test
  void spansSettleWhenTheirWindowPassesWithTheirFinalTraceAndUnjoinedOnesAreCounted() {
    correlator.accept(gatewayCp(1000).build());
    correlator.accept(backendSp(1000).build());
    correlator.accept(backendSp(7).ends(9999, 1).build());
    assertThat(correlator.waiting()).isEqualTo(3);

    nowMillis.addAndGet(10_001);
    correlator.sweep();

    assertThat(correlator.waiting()).isZero();
    assertThat(settled).hasSize(3);
    assertThat(settled.get(1).traceId()).isEqualTo(settled.get(0).traceId());
    assertThat(settled.get(1).parentSpanId()).isEqualTo(settled.get(0).spanId());
    assertThat(registry.get("threadline.correlator.s_spans.unjoined").counter().count())
        .isEqualTo(1);
  }

  @Test
  void aFullWaitingAreaSettlesTheOldestEarlyAndCountsThem() {
    Correlator small =
        Correlator.builder(store, CorrelatorMetrics.register(registry))
            .clock(nowMillis::get)
            .maxWaiting(2)
            .proc(Path.of("/nonexistent-proc"))
            .onSettled(settled::addAll)
            .build();
    for (int i = 0; i < 5; i++) {
      small.accept(gatewayCp(1000 + i).build());
    }
    assertThat(small.waiting()).isEqualTo(2);
    assertThat(settled).hasSize(3);
    assertThat(registry.get("threadline.correlator.s_spans.evicted").counter().count())
        .isEqualTo(3);
  }

  // --- the evidence -------------------------------------------------------------------------

  /** A gateway's (pid 200) c-p on 40000 → 8080. */
  private static S gatewayCp(long seq) {
    return S.client().pid(200).ends(40000, 8080).seq(seq).time(ms(1000), ms(1010));
  }

  /** The backend's (pid 100) s-p on 8080 ← 40000. */
  private static S backendSp(long seq) {
    return S.server().pid(100).ends(8080, 40000).seq(seq).time(ms(1001), ms(1009));
  }

  private static S nginxCp(String target, long start, long end) {
    return S.client().pid(200).ends(41000, 8090).request("GET", target).time(start, end);
  }

  private static S nginxSp(String target, long start, long end) {
    return S.server().pid(200).ends(80, 50000).request("GET", target).time(start, end);
  }

  private static long ms(long millis) {
    return millis * 1_000_000L;
  }

  private List<TraceSnapshot> traces() {
    List<TraceSnapshot> traces = new ArrayList<>();
    for (TraceSummary summary : store.query(TraceQuery.all(1000))) {
      traces.add(store.get(summary.traceId()).orElseThrow());
    }
    return traces;
  }

  private double joins(String rule) {
    return registry.get("threadline.correlator.joins").tag("rule", rule).counter().count();
  }

  private static SpanView only(TraceSnapshot trace, String side) {
    List<SpanView> matches =
        trace.spans().stream()
            .filter(v -> v.record().origin() == Origin.S)
            .filter(v -> side.equals(v.record().attribute("threadline.s.side")))
            .toList();
    assertThat(matches).as("the %s of %s", side, trace).hasSize(1);
    return matches.get(0);
  }

  private static SpanView only(TraceSnapshot trace, String side, int pid) {
    List<SpanView> matches =
        trace.spans().stream()
            .filter(v -> side.equals(v.record().attribute("threadline.s.side")))
            .filter(v -> Integer.toString(pid).equals(v.record().attribute("process.pid")))
            .toList();
    assertThat(matches).as("the %s of pid %d in %s", side, pid, trace).hasSize(1);
    return matches.get(0);
  }

  private static SpanView view(TraceSnapshot trace, String spanId) {
    return trace.spans().stream()
        .filter(v -> v.record().spanId().equals(spanId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + spanId + " in " + trace));
  }
}
