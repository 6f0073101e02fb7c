package dev.threadline.bridge.loader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.decode.Direction;
import dev.threadline.bridge.decode.EventType;
import dev.threadline.bridge.decode.SocketEvent;
import dev.threadline.bridge.decode.Syscall;
import dev.threadline.bridge.testing.EbpfRequirement;
import dev.threadline.bridge.testing.RawEvents;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The BPF program against the real kernel: what each syscall produces on the ring buffer. */
class SocketTraceProgramTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int SELF = (int) ProcessHandle.current().pid();

  @BeforeAll
  static void requireKernel() {
    EbpfRequirement.requireEbpf();
  }

  @Test
  void writevAndReadvCarryPayloadTupleAndMatchingSeq() throws Exception {
    try (ServerSocketChannel server =
        ServerSocketChannel.open()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      try (RawEvents events = new RawEvents(config(port))) {
        // Not a try-with-resources resource: closing it is part of the test.
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel accepted = server.accept();
        ByteBuffer[] parts = {
          ascii("GET /iov"), ascii("ec HTTP/1.1\r\n"), ascii("Host: x\r\n\r\n")
        };
        long before = System.nanoTime();
        client.write(parts); // gathering write = writev(2)
        long after = System.nanoTime();
        byte[] expected =
            "GET /iovec HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer[] into = {ByteBuffer.allocate(5), ByteBuffer.allocate(100)};
        long n = 0;
        while (n < expected.length) {
          n += accepted.read(into); // scattering read = readv(2)
        }
        SocketEvent sent = events.await(e -> e.syscall() == Syscall.WRITEV, 1, WAIT).get(0);
        SocketEvent received = events.await(e -> e.syscall() == Syscall.READV, 1, WAIT).get(0);

        assertThat(sent.type()).isEqualTo(EventType.DATA);
        assertThat(sent.direction()).isEqualTo(Direction.EGRESS);
        assertThat(sent.pid()).isEqualTo(SELF);
        assertThat(sent.bytes()).isEqualTo(expected.length);
        assertThat(sent.payload()).isEqualTo(expected);
        assertThat(sent.remote().port()).isEqualTo(port);
        assertThat(sent.fd()).as("the fd from the call's registers").isGreaterThan(2);
        assertThat(sent.nanos())
            .as("CLOCK_MONOTONIC, System.nanoTime's clock")
            .isBetween(before, after);
        assertThat(received.direction()).isEqualTo(Direction.INGRESS);
        assertThat(received.payload()).isEqualTo(Arrays.copyOf(expected, (int) received.bytes()));
        assertThat(received.local()).isEqualTo(sent.remote());
        assertThat(received.remote()).isEqualTo(sent.local());
        assertThat(received.seq())
            .as("receiver's copied_seq = sender's write_seq")
            .isEqualTo(sent.seq());
        assertThat(received.sockId()).isNotEqualTo(sent.sockId());

        SocketEvent connect = events.await(e -> e.type() == EventType.CONNECT, 1, WAIT).get(0);
        assertThat(connect.sockId()).isEqualTo(sent.sockId());
        assertThat(connect.pid()).isEqualTo(SELF);
        assertThat(connect.syscall()).isEqualTo(Syscall.CONNECT);
        assertThat(connect.fd()).isEqualTo(sent.fd());
        assertThat(connect.remote().port()).isEqualTo(port);
        SocketEvent accept = events.await(e -> e.type() == EventType.ACCEPT, 1, WAIT).get(0);
        assertThat(accept.sockId()).as("the accepted socket").isEqualTo(received.sockId());
        assertThat(accept.pid()).as("raised by the TCP stack, before any process accepts").isZero();
        assertThat(accept.local().port()).isEqualTo(port);
        assertThat(accept.remote()).isEqualTo(sent.local());
        client.close();
        List<SocketEvent> closed =
            events.await(e -> e.type() == EventType.CLOSE && e.sockId() == sent.sockId(), 1, WAIT);
        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).nanos()).isGreaterThan(sent.nanos());
        accepted.close();
        assertThat(
                events.await(
                    e -> e.type() == EventType.CLOSE && e.sockId() == received.sockId(), 1, WAIT))
            .as("the server's close after the client's")
            .hasSize(1);
        // Once the kernel has freed both sockets (the server's leaves the table, the client's is a
        // time-wait entry), their destroys must not have reported the ends a second time: a marker
        // written after that bounds the events to look at.
        awaitFreed(port, sent.local().port());
        assertThat(events.before(marker(server, port), e -> e.type() == EventType.CLOSE, WAIT))
            .hasSize(2);
      }
    }
  }

  @Test
  void eventsThatDoNotFitTheRingBufferAreCounted() throws Exception {
    try (ServerSocketChannel server =
        ServerSocketChannel.open()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      // One page of ring buffer and nobody consuming it: most of 200 events cannot fit.
      try (SocketTraceProgram program =
              SocketTraceProgram.load(config(port).withRingBufferBytes(4096));
          SocketChannel client = SocketChannel.open(server.getLocalAddress());
          SocketChannel accepted = server.accept()) {
        assertThat(program.lostEvents()).isZero();
        for (int i = 0; i < 200; i++) {
          client.write(ByteBuffer.wrap(new byte[100]));
        }
        assertThat(program.lostEvents()).isGreaterThan(150).isLessThanOrEqualTo(200);
        assertThat(accepted).isNotNull();
      }
    }
  }

  @Test
  void sendfileIsCountedWithoutPayload() throws Exception {
    Path file = java.nio.file.Files.createTempFile("threadline-sendfile-", ".bin");
    java.nio.file.Files.write(file, new byte[50_000]);
    try (ServerSocketChannel server =
        ServerSocketChannel.open()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      try (RawEvents events = new RawEvents(config(port));
          SocketChannel client = SocketChannel.open(server.getLocalAddress());
          SocketChannel accepted = server.accept();
          java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(file)) {
        client.write(ascii("head"));
        long sent = 0;
        while (sent < 50_000) {
          sent += in.transferTo(sent, 50_000 - sent, client); // sendfile(2) on Linux
        }
        List<SocketEvent> files = events.await(e -> e.syscall() == Syscall.SENDFILE, 1, WAIT);
        assertThat(files).isNotEmpty();
        SocketEvent first = files.get(0);
        SocketEvent write = events.await(e -> e.syscall() == Syscall.WRITE, 1, WAIT).get(0);
        assertThat(first.direction()).isEqualTo(Direction.EGRESS);
        assertThat(first.payload()).isEmpty();
        assertThat(first.seq()).isEqualTo(write.seq() + 4);
        // A write after the transfers is the marker: every sendfile record comes before it.
        client.write(ascii("tail"));
        assertThat(
                events
                    .before(
                        e ->
                            e.syscall() == Syscall.WRITE
                                && e.seq() == ((first.seq() + 50_000) & 0xFFFF_FFFFL),
                        e -> e.syscall() == Syscall.SENDFILE,
                        WAIT)
                    .stream()
                    .mapToLong(SocketEvent::bytes)
                    .sum())
            .isEqualTo(50_000);
        assertThat(accepted).isNotNull();
      }
    } finally {
      java.nio.file.Files.delete(file);
    }
  }

  @Test
  void captureIsLimitedToConfiguredBytesButCountsEverything() throws Exception {
    try (ServerSocketChannel server =
        ServerSocketChannel.open()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      try (RawEvents events = new RawEvents(config(port).withCaptureBytes(16));
          SocketChannel client = SocketChannel.open(server.getLocalAddress());
          SocketChannel accepted = server.accept()) {
        byte[] data = new byte[100];
        Arrays.fill(data, (byte) 'x');
        client.write(ByteBuffer.wrap(data));
        SocketEvent sent = events.await(e -> e.syscall() == Syscall.WRITE, 1, WAIT).get(0);
        assertThat(sent.bytes()).isEqualTo(100);
        assertThat(sent.payload()).hasSize(16).containsOnly((byte) 'x');
        assertThat(accepted).isNotNull();
      }
    }
  }

  @Test
  void maximumCaptureIs16KiB() throws Exception {
    try (ServerSocketChannel server =
        ServerSocketChannel.open()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      try (RawEvents events =
              new RawEvents(config(port).withCaptureBytes(TraceConfig.MAX_CAPTURE));
          SocketChannel client = SocketChannel.open(server.getLocalAddress());
          SocketChannel accepted = server.accept()) {
        byte[] data = new byte[20_000];
        for (int i = 0; i < data.length; i++) {
          data[i] = (byte) i;
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        client.write(new ByteBuffer[] {buffer.slice().limit(3000), buffer.slice().position(3000)});
        SocketEvent sent = events.await(e -> e.syscall() == Syscall.WRITEV, 1, WAIT).get(0);
        assertThat(sent.bytes()).isEqualTo(20_000);
        assertThat(sent.payload()).isEqualTo(Arrays.copyOf(data, TraceConfig.MAX_CAPTURE));
        assertThat(accepted).isNotNull();
      }
    }
  }

  @Test
  void payloadsOfEverySizeClassArriveWhole() throws Exception {
    // Records are reserved in size classes; lengths at and just past each boundary, plain and
    // gathered.
    int[] lengths = {1, 127, 128, 129, 256, 257, 1024, 1025, 4096, 8193, 16384};
    try (ServerSocketChannel server =
        ServerSocketChannel.open()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      try (RawEvents events =
              new RawEvents(config(port).withCaptureBytes(TraceConfig.MAX_CAPTURE));
          SocketChannel client = SocketChannel.open(server.getLocalAddress());
          SocketChannel accepted = server.accept()) {
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        for (int length : lengths) {
          byte[] data = new byte[length];
          for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 31 + length);
          }
          ByteBuffer whole = ByteBuffer.wrap(data);
          int half = length / 2;
          writeFully(client, whole.duplicate());
          writeFully(client, whole.duplicate().limit(half), whole.duplicate().position(half));
          for (long got = 0; got < 2L * length; got += accepted.read(sink.clear())) {
            // drain, so that every write is one call
          }
          List<SocketEvent> sent =
              events.await(e -> e.direction() == Direction.EGRESS && e.bytes() == length, 2, WAIT);
          assertThat(sent)
              .extracting(SocketEvent::syscall)
              .as("length %d", length)
              .containsExactly(Syscall.WRITE, Syscall.WRITEV);
          assertThat(sent)
              .allSatisfy(e -> assertThat(e.payload()).as("length %d", length).isEqualTo(data));
        }
      }
    }
  }

  @Test
  void connectionEndsAfterAHalfCloseAndOnReset() throws Exception {
    int port = freePort();
    String script =
        pythonPeer(
            // A client that half-closes after its request still reads the response: not the end
            // yet.
            "c = socket.create_connection(('127.0.0.1', int(sys.argv[1]))); s, _ = srv.accept()",
            "c.sendall(b'REQUEST'); c.shutdown(socket.SHUT_WR); time.sleep(0.2)",
            "assert s.recv(100) == b'REQUEST'; s.sendall(b'RESPONSE'); s.close()",
            "assert c.recv(100) == b'RESPONSE'; time.sleep(0.2); c.close()",
            // A client that closes with unread data resets the connection.
            "c = socket.create_connection(('127.0.0.1', int(sys.argv[1]))); s, _ = srv.accept()",
            "s.sendall(b'UNREAD'); time.sleep(0.2); c.close(); time.sleep(0.2); s.close()");
    try (RawEvents events = new RawEvents(new TraceConfig(1024, Set.of(), Set.of(port), SELF))) {
      runPython(script, port);
      SocketEvent response =
          events
              .await(
                  e ->
                      e.type() == EventType.DATA
                          && e.direction() == Direction.INGRESS
                          && e.bytes() == 8,
                  1,
                  WAIT)
              .get(0);
      // The next connection's socket may reuse the same kernel address: the endpoints tell them
      // apart.
      SocketEvent unread =
          events.await(e -> e.type() == EventType.DATA && e.bytes() == 6, 1, WAIT).get(0);
      // The peer has exited, its sockets closed: a marker on a new connection to the port bounds
      // the ends reported for them.
      List<SocketEvent> ends;
      try (ServerSocketChannel after =
          ServerSocketChannel.open()
              .setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true)
              .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
        // This JVM is not traced here: the marker comes from another process.
        int marker =
            runPython(
                "import socket, sys\n"
                    + "c = socket.create_connection(('127.0.0.1', int(sys.argv[1])))\n"
                    + "c.sendall(b'MARK'); c.close()\n",
                port);
        ends =
            events.before(
                e -> e.pid() == marker && e.type() == EventType.DATA,
                e -> e.type() == EventType.CLOSE,
                WAIT);
      }
      List<SocketEvent> halfClosedEnds =
          ends.stream().filter(e -> sameConnection(e, response)).toList();
      assertThat(halfClosedEnds).as("one end per socket").hasSize(1);
      assertThat(halfClosedEnds.get(0).nanos())
          .as("ends after the response it still read")
          .isGreaterThan(response.nanos());
      assertThat(ends.stream().filter(e -> sameConnection(e, unread)).toList())
          .as("the server's end, reset by the client")
          .hasSize(1);
    }
  }

  @Test
  void sendmsgRecvmsgSendtoRecvfromFromAnotherProcess() throws Exception {
    int port = freePort();
    String script =
        pythonPeer(
            "c = socket.create_connection(('127.0.0.1', int(sys.argv[1]))); s, _ = srv.accept()",
            // SO_TIMESTAMPING (37), software TX stamps with ids: the error queue then returns the
            // sent packet.
            "c.setsockopt(socket.SOL_SOCKET, 37, (1 << 1) | (1 << 4) | (1 << 7))",
            "c.sendmsg([b'PING ', b'msg'])",
            "assert s.recv(100, socket.MSG_PEEK) == b'PING msg'",
            "data, _, _, _ = s.recvmsg(100)",
            "s.send(b'PONG')",
            "c.recv(100)",
            "time.sleep(0.1); errq, _, _, _ = c.recvmsg(200, 1024, 0x2000)  # MSG_ERRQUEUE",
            "assert len(errq) > 0, 'no timestamp on the error queue'",
            "c.close(); s.close()");
    try (RawEvents events = new RawEvents(new TraceConfig(1024, Set.of(), Set.of(port), SELF))) {
      int pid = runPython(script, port);
      SocketEvent sendmsg =
          events.await(e -> e.pid() == pid && e.type() == EventType.DATA, 1, WAIT).get(0);
      // The client's close is its last call: its end, reported in that call, is the marker after
      // which no data event of the peer can come.
      List<SocketEvent> data =
          events.before(
              e -> e.type() == EventType.CLOSE && sameConnection(e, sendmsg),
              e -> e.pid() == pid && e.type() == EventType.DATA,
              WAIT);
      assertThat(data)
          .as("the MSG_PEEK read and the error-queue read are not stream bytes")
          .extracting(SocketEvent::syscall)
          .containsExactly(Syscall.SENDMSG, Syscall.RECVMSG, Syscall.SENDTO, Syscall.RECVFROM);
      assertThat(data.get(0).payload()).isEqualTo("PING msg".getBytes(StandardCharsets.US_ASCII));
      assertThat(data.get(1).payload()).isEqualTo("PING msg".getBytes(StandardCharsets.US_ASCII));
      assertThat(data.get(1).seq()).isEqualTo(data.get(0).seq());
      assertThat(data.get(3).payload()).isEqualTo("PONG".getBytes(StandardCharsets.US_ASCII));
      assertThat(data.get(3).seq()).isEqualTo(data.get(2).seq());
      assertThat(data.get(0).comm()).startsWith("python");
    }
  }

  @Test
  void listedPidsExcludeOtherProcesses() throws Exception {
    try (ServerSocketChannel server =
        ServerSocketChannel.open()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      // Listing a process that is neither us nor an ancestor of us: our traffic must not appear.
      Process sleep = new ProcessBuilder("sleep", "60").start();
      int other = (int) sleep.pid();
      try (RawEvents events = new RawEvents(config(port).withPids(Set.of(other)));
          SocketChannel client = SocketChannel.open(server.getLocalAddress());
          SocketChannel accepted = server.accept()) {
        client.write(ascii("hello"));
        ByteBuffer in = ByteBuffer.allocate(10);
        accepted.read(in);
        // Lifecycle events of the TCP stack name sockets, not processes: only the port filter
        // applies to them. Once this process is added, its first write is the marker, and nothing
        // of ours came before it.
        events.program().addPid(SELF);
        client.write(ascii("again"));
        assertThat(
                events.before(
                    e -> e.syscall() == Syscall.WRITE,
                    e -> e.type() == EventType.DATA || e.type() == EventType.CONNECT,
                    WAIT))
            .isEmpty();
        assertThat(events.await(e -> e.syscall() == Syscall.WRITE, 1, WAIT))
            .singleElement()
            .satisfies(
                e ->
                    assertThat(e.payload()).isEqualTo("again".getBytes(StandardCharsets.US_ASCII)));
      } finally {
        sleep.destroy();
      }
    }
  }

  @Test
  void listedProcessBringsTheChildrenItForksLater() throws Exception {
    Path curl = EbpfRequirement.requireExecutable("curl", "curl");
    try (ServerSocketChannel server =
        ServerSocketChannel.open()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      // sh waits for a line on stdin, then forks curl: curl's pid did not exist when tracing began.
      Process sh =
          new ProcessBuilder(
                  "/bin/sh",
                  "-c",
                  "read go; " + curl + " -s -m 5 http://127.0.0.1:" + port + "/forked")
              .redirectErrorStream(true)
              .start();
      try (RawEvents events =
          new RawEvents(new TraceConfig(1024, Set.of((int) sh.pid()), Set.of(port), SELF))) {
        sh.getOutputStream().write('\n');
        sh.getOutputStream().flush();
        try (SocketChannel accepted = server.accept()) {
          List<SocketEvent> sent =
              events.await(
                  e -> e.type() == EventType.DATA && e.direction() == Direction.EGRESS, 1, WAIT);
          assertThat(sent).hasSize(1);
          assertThat(sent.get(0).comm()).isEqualTo("curl");
          int curlPid = sent.get(0).pid();
          assertThat(curlPid).isNotEqualTo((int) sh.pid());
          assertThat(events.program().tracesPid(curlPid))
              .as("added by the kernel when sh forked it")
              .isTrue();
          assertThat(new String(sent.get(0).payload(), StandardCharsets.US_ASCII))
              .startsWith("GET /forked HTTP/1.1");
          assertThat(accepted).isNotNull();
          accepted.close();
          assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
          assertThat(events.program().tracesPid(curlPid))
              .as("removed when it exited, its pid free for reuse")
              .isFalse();
          assertThat(events.program().tracesPid((int) sh.pid())).isFalse();
        }
      } finally {
        sh.destroy();
        sh.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static TraceConfig config(int port) {
    return new TraceConfig(
        TraceConfig.DEFAULT_CAPTURE, Set.of(SELF), port == 0 ? Set.of() : Set.of(port), SELF);
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocketChannel probe =
        ServerSocketChannel.open()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return ((InetSocketAddress) probe.getLocalAddress()).getPort();
    }
  }

  /**
   * A Python program with a listening socket `srv` on the port given as its argument, then {@code
   * lines}.
   */
  private static String pythonPeer(String... lines) {
    return String.join(
        "\n",
        "import socket, sys, time",
        "srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
        "srv.bind(('127.0.0.1', int(sys.argv[1]))); srv.listen(2)",
        String.join("\n", lines),
        "");
  }

  /**
   * Runs the script in its own process (another pid than this JVM), checks it succeeded; returns
   * its pid.
   */
  private static int runPython(String script, int port) throws Exception {
    Path python = EbpfRequirement.requireExecutable("python3", "python3");
    Process p =
        new ProcessBuilder(python.toString(), "-c", script, Integer.toString(port))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return (int) p.pid();
  }

  /**
   * Writes "MARK" on a new connection to {@code server} and returns the predicate for its record:
   * every event the kernel wrote before that write comes before it.
   */
  private static Predicate<SocketEvent> marker(ServerSocketChannel server, int port)
      throws java.io.IOException {
    try (SocketChannel client =
            SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        SocketChannel accepted = server.accept()) {
      client.write(ascii("MARK"));
      int markerPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
      assertThat(accepted).isNotNull();
      return e ->
          e.type() == EventType.DATA
              && e.direction() == Direction.EGRESS
              && e.local().port() == markerPort;
    }
  }

  /**
   * Waits until the kernel has freed both sockets of the loopback connection {@code serverPort}
   * &lt;-&gt; {@code clientPort}: the server's end is gone from /proc/net/tcp and the client's is
   * gone or a time-wait entry (state 06), which replaces the freed socket.
   */
  private static void awaitFreed(int serverPort, int clientPort) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      boolean alive = false;
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/net/tcp"))) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[1].contains(":")) {
          continue;
        }
        int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
        int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
        boolean server = local == serverPort && remote == clientPort;
        boolean client = local == clientPort && remote == serverPort && !f[3].equals("06");
        alive |= server || client;
      }
      if (!alive) {
        return;
      }
      assertThat(System.nanoTime()).as("sockets freed").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static boolean sameConnection(SocketEvent a, SocketEvent b) {
    return a.sockId() == b.sockId() && a.local().equals(b.local()) && a.remote().equals(b.remote());
  }

  /**
   * One write(2) for one buffer, one writev(2) for several; a blocking channel moves everything in
   * that call.
   */
  private static void writeFully(SocketChannel channel, ByteBuffer... buffers)
      throws java.io.IOException {
    long left = 0;
    for (ByteBuffer b : buffers) {
      left += b.remaining();
    }
    long written = buffers.length == 1 ? channel.write(buffers[0]) : channel.write(buffers);
    assertThat(written).as("one call").isEqualTo(left);
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }
}
