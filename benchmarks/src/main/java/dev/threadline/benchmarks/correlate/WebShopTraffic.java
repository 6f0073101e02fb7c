package dev.threadline.benchmarks.correlate;

import dev.threadline.bridge.decode.Endpoint;
import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.span.SSpan;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What the node receives for N WebShop requests {@code GET /shop/full-test?count=1} through the
 * plain nginx gateway, in arrival order: the S spans (the load client's c-p, nginx's s-p and c-p,
 * shop-web's s-p, and a c-p and an s-p per hop: shop-web → user-svc ×2, item-svc, order-svc ×(1 +
 * L), order-svc → item-svc and stock-svc on its pool ×L, the {@code @Async} notification to
 * user-svc; L = 1 or 2 cart lines, alternating, so 23 S spans a request on average) and the A spans
 * of the five services in export batches, with the correlator's sweep every 100 ms of simulated
 * time. Keep-alive connection pools, TCP sequence numbers advancing per connection, traceparent on
 * every c-p of a Java service, X-Request-Id from nginx upstream, thread stamps on the Java
 * processes' S spans (order-svc's response stamps name its controller span, an inner span of the
 * SERVER span).
 *
 * <p>Half the requests (late) have their A spans in the services' batch exports every 500 ms, after
 * their S spans; the other half (early) have them exported within a millisecond and their S spans
 * delivered 3 ms after the syscall, so the A spans are stored first. Immutable once built.
 */
final class WebShopTraffic {
  /** S spans per request averaged over the alternating 1- and 2-line carts. */
  static final int S_SPANS_PER_REQUEST = 23;

  /** Added to the simulated CLOCK_MONOTONIC times to get the epoch times the A spans use. */
  static final long CLOCK_OFFSET_NANOS = 1_780_000_000_000_000_000L;

  /** The node's sweep period (KernelSide.SWEEP_PERIOD_MS). */
  static final long SWEEP_PERIOD_NANOS = 100_000_000L;

  static final long MS = 1_000_000L;
  static final long US = 1_000L;
  static final long BATCH_PERIOD_NANOS = 500 * MS; // OTEL_BSP_SCHEDULE_DELAY=500
  static final int POOL_CONNECTIONS = 8;

  /** A process of the WebShop. */
  record Proc(String service, int pid, int port, String comm, boolean javaService) {}

  static final Proc LOAD = new Proc("java", 4000, 0, "HttpClient-1-Wo", false);
  static final Proc NGINX = new Proc("nginx", 4100, 8080, "nginx", false);
  static final Proc SHOP_WEB = new Proc("shop-web", 4200, 8090, "http-nio-8090-e", true);
  static final Proc USER = new Proc("user-svc", 4201, 8091, "http-nio-8091-e", true);
  static final Proc ITEM = new Proc("item-svc", 4202, 8092, "http-nio-8092-e", true);
  static final Proc ORDER = new Proc("order-svc", 4203, 8093, "http-nio-8093-e", true);
  static final Proc STOCK = new Proc("stock-svc", 4204, 8094, "http-nio-8094-e", true);
  static final List<Proc> PROCESSES = List.of(LOAD, NGINX, SHOP_WEB, USER, ITEM, ORDER, STOCK);

  /** One thing reaching the node at a simulated CLOCK_MONOTONIC time. */
  sealed interface Step permits Accept, Export, Sweep {
    long atNanos();
  }

  /** An S span from the kernel side. */
  record Accept(long atNanos, SSpan span) implements Step {}

  /** One OTLP export of one service. */
  record Export(long atNanos, List<SpanRecord> batch) implements Step {}

  /** The node's sweep timer. */
  record Sweep(long atNanos) implements Step {}

  /**
   * One request as it must end up: one trace, the application's, holding exactly these spans under
   * these parents. Keys: an A span's id; an S span's {@link #sKey}. The parent of the top span is
   * "".
   */
  record Request(int number, String traceId, Map<String, String> parentOf, boolean early) {}

  private final List<Step> steps;
  private final List<Request> requests;
  private final int sSpans;
  private final int aSpans;
  private final int stampedServerSpans;
  private final int stampedServerSpansWithAFirst;

  private WebShopTraffic(TrafficBuilder b) {
    List<Step> all = new ArrayList<>(b.steps);
    for (Map.Entry<String, List<SpanRecord>> e : b.exports.entrySet()) {
      long at = Long.parseLong(e.getKey().substring(0, e.getKey().indexOf(' ')));
      all.add(new Export(at, List.copyOf(e.getValue())));
    }
    long last = all.stream().mapToLong(Step::atNanos).max().orElse(0);
    for (long t = b.base; t <= last; t += SWEEP_PERIOD_NANOS) {
      all.add(new Sweep(t));
    }
    all.sort(Comparator.comparingLong(Step::atNanos)); // stable: ties keep their order
    this.steps = List.copyOf(all);
    this.requests = List.copyOf(b.requests);
    this.sSpans = b.sSpans;
    this.aSpans = b.aSpans;
    this.stampedServerSpans = b.stamped;
    this.stampedServerSpansWithAFirst = b.stampedAFirst;
  }

  /**
   * @param requests a multiple of 4 (cart lines and arrival orders alternate)
   * @param requestsPerSecond the simulated arrival rate
   */
  static WebShopTraffic generate(int requests, double requestsPerSecond, long seed) {
    if (requests % 4 != 0) {
      throw new IllegalArgumentException("requests must be a multiple of 4, was " + requests);
    }
    TrafficBuilder b = new TrafficBuilder(seed);
    long interval = (long) (1e9 / requestsPerSecond);
    for (int r = 0; r < requests; r++) {
      b.request(r, b.base + r * interval, 1 + (r / 2) % 2, r % 2 == 1);
    }
    WebShopTraffic traffic = new WebShopTraffic(b);
    if (traffic.sSpans != requests * S_SPANS_PER_REQUEST) {
      throw new IllegalStateException(traffic.sSpans + " S spans for " + requests + " requests");
    }
    return traffic;
  }

  List<Step> steps() {
    return steps;
  }

  List<Request> requests() {
    return requests;
  }

  int sSpans() {
    return sSpans;
  }

  int aSpans() {
    return aSpans;
  }

  /** The time of the last step. */
  long endNanos() {
    return steps.get(steps.size() - 1).atNanos();
  }

  /** What the mix holds, for the benchmark's log. */
  String describe() {
    return String.format(
        "%d requests, %d S spans, %d A spans in %d exports, %d sweeps; of %d stamped s-p, %d find"
            + " their A spans already stored (early) and %d wait for them (late)",
        requests.size(),
        sSpans,
        aSpans,
        steps.stream().filter(s -> s instanceof Export).count(),
        steps.stream().filter(s -> s instanceof Sweep).count(),
        stampedServerSpans,
        stampedServerSpansWithAFirst,
        stampedServerSpans - stampedServerSpansWithAFirst);
  }

  /** How the check finds an S span in a trace: its side, process and request sequence number. */
  static String sKey(String side, String pid, String requestSeq) {
    return side + " " + pid + " " + requestSeq;
  }

  static Endpoint loopback(int port) {
    try {
      return new Endpoint(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
