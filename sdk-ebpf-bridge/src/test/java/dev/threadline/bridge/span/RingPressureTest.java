package dev.threadline.bridge.span;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.loader.PayloadReductions;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.testing.EbpfRequirement;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A small ring buffer flooded while its consumer is held: the BPF program cuts payloads before it
 * drops events, counts both, and once the consumer runs again the requests on the same keep-alive
 * connections (and on new ones) come out as whole, correctly paired spans.
 */
class RingPressureTest {
  private static final int SELF = (int) ProcessHandle.current().pid();
  private static final int RING = 64 * 1024;
  private static final int CONNECTIONS = 4;
  private static final int RECOVERY_PER_CONNECTION = 10;
  private static final String PAD = "a".repeat(400);
  private static final byte[] RESPONSE =
      ascii("HTTP/1.1 200 OK\r\nContent-Length: 600\r\n\r\n" + "b".repeat(600));

  @Test
  void aFloodCutsPayloadsThenDropsEventsCountingBothAndParsingRecovers() throws Exception {
    EbpfRequirement.requireEbpf();
    try (ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      List<Socket> accepted = new CopyOnWriteArrayList<>();
      Thread acceptor = serve(server, accepted);
      CountDownLatch consumerHeld = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Spans spans = new Spans();
      TraceConfig config =
          new TraceConfig(TraceConfig.DEFAULT_CAPTURE, Set.of(SELF), Set.of(port), SELF)
              .withRingBufferBytes(RING);
      List<Socket> clients = new ArrayList<>();
      try (SocketTracer tracer =
          SocketTracer.start(
              config,
              span -> {
                // The consumer thread stops at its first span, so the ring fills behind it.
                consumerHeld.countDown();
                awaitUninterruptibly(release);
                spans.add(span);
              })) {
        try {
          floodThenRecover(tracer, port, clients, consumerHeld, release, spans);
        } finally {
          release.countDown(); // before the tracer closes: it drains through the consumer
        }
      } finally {
        for (Socket s : clients) {
          s.close();
        }
        server.close();
        acceptor.join(10_000);
        for (Socket s : accepted) {
          s.close();
        }
      }
    }
  }

  private static void floodThenRecover(
      SocketTracer tracer,
      int port,
      List<Socket> clients,
      CountDownLatch consumerHeld,
      CountDownLatch release,
      Spans spans)
      throws Exception {
    for (int c = 0; c < CONNECTIONS; c++) {
      clients.add(new Socket(InetAddress.getLoopbackAddress(), port));
    }
    // Flood on keep-alive connections until cuts of both levels and losses are counted.
    AtomicBoolean enough = new AtomicBoolean();
    List<Throwable> floodErrors = new CopyOnWriteArrayList<>();
    List<Thread> flooders = new ArrayList<>();
    for (int c = 0; c < CONNECTIONS; c++) {
      Socket client = clients.get(c);
      int connection = c;
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int i = 0; !enough.get(); i++) {
                    exchange(client, "/flood/" + connection + "/" + i);
                    if (i % 50 == 0 && pressureSeen(tracer)) {
                      enough.set(true);
                    }
                  }
                } catch (Throwable e) {
                  floodErrors.add(e);
                  enough.set(true);
                }
              },
              "flood-" + c);
      t.start();
      flooders.add(t);
    }
    long floodDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (Thread t : flooders) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(floodDeadline - System.nanoTime())));
    }
    enough.set(true);
    for (Thread t : flooders) {
      t.join(10_000);
    }
    assertThat(floodErrors).isEmpty();
    assertThat(consumerHeld.await(0, TimeUnit.SECONDS)).as("the consumer was held").isTrue();
    long lostInFlood = tracer.lostEvents();
    PayloadReductions cutInFlood = tracer.payloadReductions();
    assertThat(cutInFlood.head()).as("payloads cut to a head").isPositive();
    assertThat(cutInFlood.none()).as("payloads dropped, events kept").isPositive();
    assertThat(lostInFlood).as("events lost with the ring full").isPositive();

    // The consumer runs again; a probe on a new connection shows when the backlog is read.
    release.countDown();
    boolean drained = false;
    for (int probe = 0; !drained && probe < 10; probe++) {
      String path = "/probe/" + probe;
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
        exchange(client, path);
      }
      drained = spans.await(s -> path.equals(s.path()), 2, Duration.ofSeconds(5));
    }
    assertThat(drained).as("a probe's spans after the backlog").isTrue();
    long lostBefore = tracer.lostEvents();
    PayloadReductions cutBefore = tracer.payloadReductions();

    // A fresh batch with unique paths: on the flooded connections, which lost events, and on
    // a new one. Each exchange's two spans are awaited before the next is sent: the batch must
    // not fill the ring again (on a busy machine a burst of it can), and a side that pairs one
    // response late shows at once.
    try (Socket fresh = new Socket(InetAddress.getLoopbackAddress(), port)) {
      clients.add(fresh);
      for (int c = 0; c < clients.size(); c++) {
        for (int i = 0; i < RECOVERY_PER_CONNECTION; i++) {
          String path = "/recover/" + c + "/" + i;
          exchange(clients.get(c), path);
          assertThat(spans.await(s -> path.equals(s.path()), 2, Duration.ofSeconds(10)))
              .as(
                  "both spans of %s (%s arrived)",
                  path,
                  spans.matching(s -> path.equals(s.path())).stream()
                      .map(s -> s.kind() + " " + s.path())
                      .toList())
              .isTrue();
        }
      }
      int expected = 2 * clients.size() * RECOVERY_PER_CONNECTION; // both ends are traced
      Predicate<SSpan> recovery = s -> s.path() != null && s.path().startsWith("/recover/");
      assertThat(spans.await(recovery, expected, Duration.ofSeconds(20)))
          .as(
              "the recovery batch's spans (%s arrived)",
              spans.matching(recovery).stream().map(s -> s.kind() + " " + s.path()).toList())
          .isTrue();
      // A 64 KiB ring can be half full again during this batch, so heads may be cut (as designed:
      // the requests' heads fit in the 256 bytes kept); no event may be lost.
      assertThat(tracer.lostEvents()).as("nothing lost after the flood").isEqualTo(lostBefore);
      assertThat(tracer.payloadReductions().none())
          .as("no payload dropped whole after the flood")
          .isEqualTo(cutBefore.none());
      List<SSpan> got = spans.matching(recovery);
      assertThat(got)
          .hasSize(expected)
          .allSatisfy(
              s -> {
                assertThat(s.method()).isEqualTo("GET");
                assertThat(s.status()).isEqualTo(200);
                assertThat(s.requestBytes()).isEqualTo(request(s.path()).length);
                assertThat(s.responseBytes()).isEqualTo(RESPONSE.length);
                assertThat(s.requestSeq()).isNotNegative();
                assertThat(s.responseSeq()).isNotNegative();
              });
      Map<String, List<SSpan>> byPath = got.stream().collect(Collectors.groupingBy(SSpan::path));
      assertThat(byPath).hasSize(clients.size() * RECOVERY_PER_CONNECTION);
      assertThat(byPath.values())
          .allSatisfy(
              pair -> {
                assertThat(pair)
                    .extracting(SSpan::kind)
                    .containsExactlyInAnyOrder(SpanKind.CLIENT, SpanKind.SERVER);
                // Both ends name the same bytes: request and response paired alike.
                assertThat(pair.get(0).requestSeq()).isEqualTo(pair.get(1).requestSeq());
                assertThat(pair.get(0).responseSeq()).isEqualTo(pair.get(1).responseSeq());
              });
    }
    assertThat(tracer.failure()).isNull();
  }

  private static boolean pressureSeen(SocketTracer tracer) {
    PayloadReductions cut = tracer.payloadReductions();
    return cut.head() > 0 && cut.none() > 0 && tracer.lostEvents() > 0;
  }

  /** One request and its whole response on a keep-alive connection. */
  private static void exchange(Socket client, String path) throws IOException {
    client.getOutputStream().write(request(path));
    byte[] response = client.getInputStream().readNBytes(RESPONSE.length);
    if (response.length != RESPONSE.length) {
      throw new IOException("short response: " + response.length + " bytes");
    }
  }

  /** A request over 256 bytes, so that a head cut shortens it. */
  private static byte[] request(String path) {
    return ascii("GET " + path + " HTTP/1.1\r\nHost: x\r\nX-Pad: " + PAD + "\r\n\r\n");
  }

  /** Accepts connections and answers each request (a head without body) with RESPONSE. */
  private static Thread serve(ServerSocket server, List<Socket> accepted) {
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                Socket s;
                try {
                  s = server.accept();
                } catch (IOException closed) {
                  return;
                }
                accepted.add(s);
                Thread handler = new Thread(() -> answer(s), "pressure-server");
                handler.setDaemon(true);
                handler.start();
              }
            },
            "pressure-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
    return acceptor;
  }

  private static void answer(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      int matched = 0;
      for (int b = in.read(); b >= 0; b = in.read()) {
        matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        if (matched == 4) {
          out.write(RESPONSE);
          matched = 0;
        }
      }
    } catch (IOException e) {
      // the client closed
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Spans as the consumer delivers them, with a wait for the ones a test expects. */
  private static final class Spans {
    private final List<SSpan> spans = new ArrayList<>();

    synchronized void add(SSpan span) {
      spans.add(span);
      notifyAll();
    }

    synchronized List<SSpan> matching(Predicate<SSpan> filter) {
      return spans.stream().filter(filter).toList();
    }

    synchronized boolean await(Predicate<SSpan> filter, int count, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (spans.stream().filter(filter).count() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }
}
