package dev.threadline.benchmarks.correlate;

import dev.threadline.bridge.decode.Endpoint;
import dev.threadline.bridge.decode.ThreadStamp;
import dev.threadline.bridge.http.HttpMessage;
import dev.threadline.bridge.node.store.Attribute;
import dev.threadline.bridge.node.store.Origin;
import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.span.SSpan;
import dev.threadline.bridge.span.SpanKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

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

  private static final long MS = 1_000_000L;
  private static final long US = 1_000L;
  private static final long BATCH_PERIOD_NANOS = 500 * MS; // OTEL_BSP_SCHEDULE_DELAY=500
  private static final int POOL_CONNECTIONS = 8;

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

  private WebShopTraffic(Builder b) {
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
    Builder b = new Builder(seed);
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

  private static Endpoint loopback(int port) {
    try {
      return new Endpoint(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** A keep-alive connection: both ends and the next sequence number of each direction. */
  private static final class Connection {
    final Endpoint client;
    final Endpoint server;
    final long clientSocket;
    final long serverSocket;
    final int clientFd;
    final int serverFd;
    long requestSeq;
    long responseSeq;

    Connection(int n, Proc server, SplittableRandom random) {
      this.client = loopback(40000 + n);
      this.server = loopback(server.port());
      this.clientSocket = 0xffff888100000000L + n * 0x1000L;
      this.serverSocket = 0xffff888200000000L + n * 0x1000L;
      this.clientFd = 30 + n % 64;
      this.serverFd = 40 + n % 64;
      this.requestSeq = random.nextLong(1L << 32);
      this.responseSeq = random.nextLong(1L << 32);
    }
  }

  /** Builds the requests one by one. */
  private static final class Builder {
    final SplittableRandom random;
    final long base = 100_000 * MS;
    final List<Step> steps = new ArrayList<>();
    final List<Request> requests = new ArrayList<>();

    /** "deliveryTime service" → batch; sorted so that the steps come out deterministic. */
    final Map<String, List<SpanRecord>> exports = new TreeMap<>();

    final Map<String, List<Connection>> pools = new HashMap<>();
    final Map<String, Integer> nextConnection = new HashMap<>();
    final Map<String, Long> aDelivery = new HashMap<>();
    int connections;
    int sSpans;
    int aSpans;
    int stamped;
    int stampedAFirst;

    // The request being built.
    String traceId;
    boolean early;
    Map<String, String> expected;
    List<Runnable> stampChecks;

    Builder(long seed) {
      this.random = new SplittableRandom(seed);
    }

    void request(int number, long start, int cartLines, boolean earlyA) {
      traceId = hex(random.nextLong()) + hex(random.nextLong());
      early = earlyA;
      expected = new LinkedHashMap<>();
      stampChecks = new ArrayList<>();
      String target = "/shop/full-test?count=1&marker=bench-" + number;

      // shop-web: SERVER, the controller span, and the hops inside it, one after another.
      String server = spanId();
      String controller = spanId();
      long cursor = start + 700 * US;
      cursor = hop(SHOP_WEB, USER, "POST", "/users", cursor, controller, this::userInsert);
      cursor = hop(SHOP_WEB, USER, "POST", "/login", cursor, controller, null);
      cursor = hop(SHOP_WEB, ITEM, "GET", "/items/search?q=coffee", cursor, controller, null);
      long userId = 1000 + number;
      for (int i = 0; i < cartLines; i++) {
        cursor =
            hop(
                SHOP_WEB,
                ORDER,
                "POST",
                "/carts/" + userId + "/items",
                cursor,
                controller,
                this::cartInsert);
      }
      int lines = cartLines;
      cursor =
          hop(
              SHOP_WEB,
              ORDER,
              "POST",
              "/orders",
              cursor,
              controller,
              (srv, from, to) -> createOrder(srv, from, to, lines));
      cursor =
          hop(
              SHOP_WEB,
              USER,
              "POST",
              "/users/" + userId + "/notifications",
              cursor,
              controller,
              null);
      long controllerEnd = cursor + 100 * US;
      long serverEnd = controllerEnd + 100 * US;
      a(
          SHOP_WEB,
          server,
          "",
          "SERVER",
          "GET /shop/full-test",
          start + 500 * US,
          serverEnd,
          List.of(Attribute.ofString("url.path", "/shop/full-test")));
      a(
          SHOP_WEB,
          controller,
          server,
          "INTERNAL",
          "FullTestController.fullTest",
          start + 600 * US,
          controllerEnd,
          List.of());

      // The load client's c-p (top of the trace), nginx's s-p under it, nginx's c-p (its proxied
      // hop, carrying nginx's X-Request-Id) and shop-web's s-p, the parent of shop-web's SERVER.
      long spEnd = serverEnd + 50 * US;
      String[] client =
          exchange(
              LOAD,
              NGINX,
              "GET",
              target,
              start - 150 * US,
              spEnd + 650 * US,
              "",
              null,
              null,
              null,
              Map.of());
      String[] gateway =
          exchange(
              NGINX,
              SHOP_WEB,
              "GET",
              target,
              start + 300 * US,
              spEnd + 150 * US,
              client[1],
              null,
              server,
              server,
              Map.of("x-request-id", hex(random.nextLong()) + hex(random.nextLong())));
      expected.put(server, gateway[1]);
      stampChecks.forEach(Runnable::run);
      requests.add(new Request(number, traceId, expected, early));
    }

    /** What a callee does inside its SERVER span (its own A spans and outgoing hops). */
    interface Inside {
      void spans(String serverSpan, long from, long to);
    }

    /**
     * One hop from a Java service: its A CLIENT span, the c-p and s-p, the callee's SERVER span
     * (and what {@code inside} adds). Returns the time the next hop may start.
     */
    long hop(
        Proc from, Proc to, String method, String target, long t, String parent, Inside inside) {
      long duration = target.equals("/orders") ? 6 * MS : 3 * MS;
      String client = spanId();
      String server = spanId();
      String inner = to == ORDER ? spanId() : null;
      String stamp = inner != null ? inner : server;
      String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
      a(
          from,
          client,
          parent,
          "CLIENT",
          method,
          t,
          t + duration,
          List.of(
              Attribute.ofString("http.request.method", method),
              Attribute.ofString("url.full", "http://127.0.0.1:" + to.port() + target)));
      ThreadStamp sending = new ThreadStamp(traceId, client, 1);
      String[] keys =
          exchange(
              from,
              to,
              method,
              target,
              t + 50 * US,
              t + duration - 50 * US,
              client,
              sending,
              stamp,
              server,
              Map.of("traceparent", "00-" + traceId + "-" + client + "-01"));
      long serverStart = t + 250 * US;
      long serverEnd = t + duration - 250 * US;
      a(
          to,
          server,
          client,
          "SERVER",
          method + " " + path,
          serverStart,
          serverEnd,
          List.of(Attribute.ofString("url.path", path)));
      expected.put(server, keys[1]);
      String under = server;
      if (inner != null) {
        a(
            to,
            inner,
            server,
            "INTERNAL",
            "OrderController." + (path.equals("/orders") ? "create" : "addToCart"),
            serverStart + 50 * US,
            serverEnd - 50 * US,
            List.of());
        under = inner;
      }
      if (inside != null) {
        inside.spans(under, serverStart + 100 * US, serverEnd - 100 * US);
      }
      return t + duration + 200 * US;
    }

    void userInsert(String parent, long from, long to) {
      a(
          USER,
          spanId(),
          parent,
          "CLIENT",
          "INSERT webshop.users",
          from + 200 * US,
          from + 700 * US,
          List.of(Attribute.ofString("db.system", "h2")));
    }

    void cartInsert(String parent, long from, long to) {
      a(
          ORDER,
          spanId(),
          parent,
          "CLIENT",
          "INSERT webshop.cart_items",
          from + 200 * US,
          from + 700 * US,
          List.of(Attribute.ofString("db.system", "h2")));
    }

    /** order-svc: the cart's SELECT, each line's item and stock check on the pool, the INSERT. */
    void createOrder(String parent, long from, long to, int lines) {
      a(
          ORDER,
          spanId(),
          parent,
          "CLIENT",
          "SELECT webshop.cart_items",
          from,
          from + 500 * US,
          List.of(Attribute.ofString("db.system", "h2")));
      for (int i = 0; i < lines; i++) {
        long t = from + 600 * US + i * 50 * US;
        hop(ORDER, ITEM, "GET", "/items/" + (7 + i), t, parent, null);
        hop(ORDER, STOCK, "GET", "/stock/" + (7 + i), t + 20 * US, parent, null);
      }
      a(
          ORDER,
          spanId(),
          parent,
          "CLIENT",
          "INSERT webshop.orders",
          from + 3900 * US,
          from + 4400 * US,
          List.of(Attribute.ofString("db.system", "h2")));
      if (from + 4400 * US > to) {
        throw new AssertionError("the order's spans overrun its SERVER span");
      }
    }

    /**
     * A c-p of {@code from} and the s-p of {@code to} for one request on a pooled keep-alive
     * connection; the s-p starts 150 µs after the c-p and ends 150 µs before it. The c-p goes under
     * {@code cpParent} ("" for the top), the s-p under the c-p.
     *
     * @param sendingStamp the span current on the c-p's thread (a Java service's CLIENT span)
     * @param responseStamp the span the s-p's response stamp names (a Java service only)
     * @param calleeServer the SERVER span of {@code to} that {@code responseStamp} is or is in
     * @return the c-p's key and the s-p's key
     */
    String[] exchange(
        Proc from,
        Proc to,
        String method,
        String target,
        long start,
        long end,
        String cpParent,
        ThreadStamp sendingStamp,
        String responseStamp,
        String calleeServer,
        Map<String, String> extraHeaders) {
      Connection c = connection(from, to);
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("host", "127.0.0.1:" + to.port());
      if (from.javaService()) {
        headers.put("accept", "application/json");
        if (method.equals("POST")) {
          headers.put("content-type", "application/json");
          headers.put("content-length", "64");
        }
      } else {
        headers.put("user-agent", from == LOAD ? "Java-http-client/17.0.15" : "nginx");
      }
      headers.putAll(extraHeaders);
      int head = 40 + target.length() + headers.toString().length();
      long requestBytes = head + (method.equals("POST") ? 64 : 0);
      long responseBytes = 160 + random.nextInt(400);
      long requestSeq = c.requestSeq;
      long responseSeq = c.responseSeq;
      c.requestSeq += requestBytes;
      c.responseSeq += responseBytes;
      ThreadStamp serverStamp = responseStamp == null ? null : stamp(responseStamp);
      int tid = from.pid() + 1 + random.nextInt(16);
      int serverTid = to.pid() + 1 + random.nextInt(16);
      long spStart = start + 150 * US;
      long spEnd = end - 150 * US;
      SSpan cp =
          new SSpan(
              SpanKind.CLIENT,
              "http",
              from.pid(),
              from.comm(),
              c.clientFd,
              c.clientSocket,
              copy(c.client),
              copy(c.server),
              start,
              end,
              tid,
              tid,
              requestBytes,
              responseBytes,
              requestSeq,
              responseSeq,
              request(method, target, headers, head),
              response(),
              copy(sendingStamp),
              copy(sendingStamp));
      SSpan sp =
          new SSpan(
              SpanKind.SERVER,
              "http",
              to.pid(),
              to.comm(),
              c.serverFd,
              c.serverSocket,
              copy(c.server),
              copy(c.client),
              spStart,
              spEnd,
              serverTid,
              serverTid,
              requestBytes,
              responseBytes,
              requestSeq,
              responseSeq,
              request(method, target, headers, head),
              response(),
              null,
              serverStamp);
      long lag = early ? 3 * MS : MS;
      steps.add(new Accept(end + lag, cp));
      steps.add(new Accept(spEnd + lag, sp));
      sSpans += 2;
      String cpKey = sKeyOf(from, "c-p", requestSeq);
      String spKey = sKeyOf(to, "s-p", requestSeq);
      expected.put(cpKey, cpParent);
      expected.put(spKey, cpKey);
      if (serverStamp != null) {
        long spArrives = spEnd + lag;
        stampChecks.add(() -> countStamp(responseStamp, calleeServer, spArrives));
      }
      return new String[] {cpKey, spKey};
    }

    // Each S span gets objects of its own, as the decoder and parser make them per event: shared
    // ones would make the heap per waiting span look smaller than it is.

    static HttpMessage request(
        String method, String target, Map<String, String> headers, int head) {
      Map<String, String> own = new LinkedHashMap<>();
      headers.forEach((k, v) -> own.put(k, fresh(v)));
      return new HttpMessage(true, method, fresh(target), "HTTP/1.1", 0, own, head, false);
    }

    static HttpMessage response() {
      return new HttpMessage(
          false,
          null,
          null,
          "HTTP/1.1",
          200,
          Map.of("content-type", fresh("application/json"), "transfer-encoding", fresh("chunked")),
          120,
          false);
    }

    ThreadStamp stamp(String spanId) {
      return new ThreadStamp(fresh(traceId), fresh(spanId), 1);
    }

    static ThreadStamp copy(ThreadStamp s) {
      return s == null ? null : new ThreadStamp(fresh(s.traceId()), fresh(s.spanId()), 1);
    }

    static Endpoint copy(Endpoint e) {
      return new Endpoint(e.address(), e.port());
    }

    static String fresh(String s) {
      return new String(s.toCharArray());
    }

    /** Whether the stamped span and its SERVER span were stored before the s-p came. */
    void countStamp(String named, String server, long spArrives) {
      stamped++;
      if (Math.max(aDelivery.get(named), aDelivery.get(server)) < spArrives) {
        stampedAFirst++;
      }
    }

    Connection connection(Proc from, Proc to) {
      String pool = from.pid() + ">" + to.pid();
      List<Connection> list = pools.computeIfAbsent(pool, k -> new ArrayList<>());
      if (list.size() < POOL_CONNECTIONS) {
        list.add(new Connection(connections++, to, random));
        return list.get(list.size() - 1);
      }
      int next = nextConnection.merge(pool, 1, Integer::sum) % POOL_CONNECTIONS;
      return list.get(next);
    }

    /** An A span, exported in its service's next batch (late) or at once (early). */
    void a(
        Proc service,
        String spanId,
        String parent,
        String kind,
        String name,
        long start,
        long end,
        List<Attribute> attributes) {
      SpanRecord record =
          new SpanRecord(
              traceId,
              spanId,
              parent,
              name,
              kind,
              start + CLOCK_OFFSET_NANOS,
              end + CLOCK_OFFSET_NANOS,
              service.service(),
              "io.opentelemetry.spring-webmvc-6.0",
              "UNSET",
              "",
              Origin.A,
              attributes,
              List.of(Attribute.ofString("service.name", service.service())),
              List.of());
      long phase = (service.pid() % 5) * 97 * MS;
      long delivery =
          early
              ? (end / MS + 1) * MS + 500 * US
              : ((end - phase) / BATCH_PERIOD_NANOS + 1) * BATCH_PERIOD_NANOS + phase + MS;
      exports
          .computeIfAbsent(
              String.format("%020d %s", delivery, service.service()), k -> new ArrayList<>())
          .add(record);
      aDelivery.put(spanId, delivery);
      expected.putIfAbsent(spanId, parent);
      aSpans++;
    }

    String sKeyOf(Proc p, String side, long seq) {
      return sKey(side, Integer.toString(p.pid()), Long.toString(seq));
    }

    String spanId() {
      return hex(random.nextLong() | 1);
    }

    static String hex(long v) {
      return String.format("%016x", v);
    }
  }
}
