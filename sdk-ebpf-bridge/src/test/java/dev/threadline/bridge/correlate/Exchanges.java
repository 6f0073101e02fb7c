package dev.threadline.bridge.correlate;

import dev.threadline.bridge.decode.Endpoint;
import dev.threadline.bridge.decode.ThreadStamp;
import dev.threadline.bridge.http.HttpMessage;
import dev.threadline.bridge.node.store.Origin;
import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.span.SSpan;
import dev.threadline.bridge.span.SpanKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * S spans as the socket tracer assembles them, and A spans as the receiver stores them, for the
 * correlator's rule tests: each test gives exactly the evidence one rule needs and nothing else.
 * Times are CLOCK_MONOTONIC nanoseconds; with a clock offset of 0 they are also the epoch times the
 * A spans use.
 */
final class Exchanges {
  private Exchanges() {}

  static Endpoint at(int port) {
    try {
      return new Endpoint(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Builds one S span. */
  static final class S {
    private final SpanKind kind;
    private int pid = 100;
    private int tid = -1;
    private long socket = 1;
    private Endpoint local = at(40000);
    private Endpoint remote = at(8080);
    private long start = 1_000_000_000L;
    private long end = 1_010_000_000L;
    private long seq = 1000;
    private String method = "GET";
    private String target = "/";
    private final Map<String, String> requestHeaders = new LinkedHashMap<>();
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private ThreadStamp requestStamp;
    private ThreadStamp responseStamp;
    private boolean http = true;

    private S(SpanKind kind) {
      this.kind = kind;
    }

    static S client() {
      return new S(SpanKind.CLIENT);
    }

    static S server() {
      return new S(SpanKind.SERVER);
    }

    S pid(int p) {
      pid = p;
      socket = p * 1000L + local.port();
      return this;
    }

    /** This process's end and its peer's. */
    S ends(int localPort, int remotePort) {
      local = at(localPort);
      remote = at(remotePort);
      socket = pid * 1000L + localPort;
      return this;
    }

    S time(long startNanos, long endNanos) {
      start = startNanos;
      end = endNanos;
      return this;
    }

    /** The thread that moved the bytes (default: pid + 1). */
    S tid(int t) {
      tid = t;
      return this;
    }

    S seq(long s) {
      seq = s;
      return this;
    }

    S request(String m, String t) {
      method = m;
      target = t;
      return this;
    }

    S header(String name, String value) {
      requestHeaders.put(name.toLowerCase(java.util.Locale.ROOT), value);
      return this;
    }

    S responseHeader(String name, String value) {
      responseHeaders.put(name.toLowerCase(java.util.Locale.ROOT), value);
      return this;
    }

    S requestStamp(String traceId, String spanId) {
      requestStamp = new ThreadStamp(traceId, spanId, 1);
      return this;
    }

    S responseStamp(String traceId, String spanId) {
      responseStamp = new ThreadStamp(traceId, spanId, 1);
      return this;
    }

    S l4() {
      http = false;
      return this;
    }

    SSpan build() {
      HttpMessage request =
          http
              ? new HttpMessage(true, method, target, "HTTP/1.1", 0, requestHeaders, 100, false)
              : null;
      HttpMessage response =
          http
              ? new HttpMessage(false, null, null, "HTTP/1.1", 200, responseHeaders, 80, false)
              : null;
      return new SSpan(
          kind,
          http ? "http" : "l4",
          pid,
          "worker",
          7,
          socket,
          local,
          remote,
          start,
          end,
          tid < 0 ? pid + 1 : tid,
          tid < 0 ? pid + 1 : tid,
          100,
          80,
          seq,
          seq + 5000,
          request,
          response,
          requestStamp,
          responseStamp);
    }
  }

  /** An application span as an SDK exports it. */
  static SpanRecord a(
      String traceId,
      String spanId,
      String parentSpanId,
      String kind,
      String service,
      long start,
      long end) {
    return new SpanRecord(
        traceId,
        spanId,
        parentSpanId,
        kind.equals("SERVER") ? "GET /" : "op",
        kind,
        start,
        end,
        service,
        "io.opentelemetry",
        "UNSET",
        "",
        Origin.A,
        List.of(),
        List.of(),
        List.of());
  }
}
