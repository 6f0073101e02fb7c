package dev.threadline.benchmarks.correlate;

import static dev.threadline.benchmarks.correlate.WebShopTraffic.BATCH_PERIOD_NANOS;
import static dev.threadline.benchmarks.correlate.WebShopTraffic.CLOCK_OFFSET_NANOS;
import static dev.threadline.benchmarks.correlate.WebShopTraffic.ITEM;
import static dev.threadline.benchmarks.correlate.WebShopTraffic.LOAD;
import static dev.threadline.benchmarks.correlate.WebShopTraffic.MS;
import static dev.threadline.benchmarks.correlate.WebShopTraffic.NGINX;
import static dev.threadline.benchmarks.correlate.WebShopTraffic.ORDER;
import static dev.threadline.benchmarks.correlate.WebShopTraffic.POOL_CONNECTIONS;
import static dev.threadline.benchmarks.correlate.WebShopTraffic.SHOP_WEB;
import static dev.threadline.benchmarks.correlate.WebShopTraffic.STOCK;
import static dev.threadline.benchmarks.correlate.WebShopTraffic.US;
import static dev.threadline.benchmarks.correlate.WebShopTraffic.USER;
import static dev.threadline.benchmarks.correlate.WebShopTraffic.loopback;
import static dev.threadline.benchmarks.correlate.WebShopTraffic.sKey;

import dev.threadline.benchmarks.correlate.WebShopTraffic.Accept;
import dev.threadline.benchmarks.correlate.WebShopTraffic.Proc;
import dev.threadline.benchmarks.correlate.WebShopTraffic.Request;
import dev.threadline.benchmarks.correlate.WebShopTraffic.Step;
import dev.threadline.bridge.decode.Endpoint;
import dev.threadline.bridge.decode.ThreadStamp;
import dev.threadline.bridge.http.HttpMessage;
import dev.threadline.bridge.node.store.Attribute;
import dev.threadline.bridge.node.store.Origin;
import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.span.SSpan;
import dev.threadline.bridge.span.SpanKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Builds {@link WebShopTraffic}'s requests one by one. Not thread-safe. */
final class TrafficBuilder {
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

  TrafficBuilder(long seed) {
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
   * One hop from a Java service: its A CLIENT span, the c-p and s-p, the callee's SERVER span (and
   * what {@code inside} adds). Returns the time the next hop may start.
   */
  long hop(Proc from, Proc to, String method, String target, long t, String parent, Inside inside) {
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

  static HttpMessage request(String method, String target, Map<String, String> headers, int head) {
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

  /** A keep-alive connection: both ends and the next sequence number of each direction. */
  static final class Connection {
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
}
