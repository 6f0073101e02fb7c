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
    void loaderMountsTracefsWhenItIsNotMounted() throws Exception {
        if (java.nio.file.Files.isDirectory(Tracefs.DEBUGFS_TRACING)) {
            EbpfRequirement.missing("debugfs tracing is mounted, so libbpf would not need /sys/kernel/tracing");
        }
        if (Tracefs.available()) {
            Process umount = new ProcessBuilder("umount", Tracefs.TRACEFS.toString()).redirectErrorStream(true).start();
            String out = new String(umount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(umount.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(umount.exitValue()).as("umount: %s", out).isZero();
        }
        assertThat(Tracefs.available()).isFalse();
        try (RawEvents events = new RawEvents(config(0))) {
            assertThat(Tracefs.available()).isTrue();
            assertThat(events.program().lostEvents()).isZero();
        }
    }

    @Test
    void writevAndReadvCarryPayloadTupleAndMatchingSeq() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            try (RawEvents events = new RawEvents(config(port))) {
                // Not a try-with-resources resource: closing it is part of the test.
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel accepted = server.accept();
                ByteBuffer[] parts = {ascii("GET /iov"), ascii("ec HTTP/1.1\r\n"), ascii("Host: x\r\n\r\n")};
                client.write(parts); // gathering write = writev(2)
                byte[] expected = "GET /iovec HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
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
                assertThat(sent.enterNanos()).isLessThanOrEqualTo(sent.exitNanos());
                assertThat(received.direction()).isEqualTo(Direction.INGRESS);
                assertThat(received.payload()).isEqualTo(Arrays.copyOf(expected, (int) received.bytes()));
                assertThat(received.local()).isEqualTo(sent.remote());
                assertThat(received.remote()).isEqualTo(sent.local());
                assertThat(received.seq()).as("receiver's copied_seq = sender's write_seq").isEqualTo(sent.seq());
                assertThat(received.sockId()).isNotEqualTo(sent.sockId());

                List<SocketEvent> lifecycle = events.await(e -> e.type() == EventType.CONNECT || e.type() == EventType.ACCEPT, 2, WAIT);
                assertThat(lifecycle).extracting(SocketEvent::type).contains(EventType.CONNECT, EventType.ACCEPT);
                assertThat(lifecycle.stream().filter(e -> e.type() == EventType.CONNECT).findFirst().orElseThrow().sockId())
                        .isEqualTo(sent.sockId());
                client.close();
                assertThat(events.await(e -> e.type() == EventType.CLOSE && e.sockId() == sent.sockId(), 1, WAIT)).hasSize(1);
                accepted.close();
            }
        }
    }

    @Test
    void eventsThatDoNotFitTheRingBufferAreCounted() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            // One page of ring buffer and nobody consuming it: most of 200 events cannot fit.
            try (SocketTraceProgram program = SocketTraceProgram.load(config(port).withRingBufferBytes(4096));
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
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
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
                assertThat(events.await(e -> e.syscall() == Syscall.SENDFILE, 50, Duration.ofMillis(300))
                        .stream().mapToLong(SocketEvent::bytes).sum()).isEqualTo(50_000);
                assertThat(accepted).isNotNull();
            }
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void captureIsLimitedToConfiguredBytesButCountsEverything() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
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
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            try (RawEvents events = new RawEvents(config(port).withCaptureBytes(TraceConfig.MAX_CAPTURE));
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
    void sendmsgRecvmsgSendtoRecvfromFromAnotherProcess() throws Exception {
        Path python = EbpfRequirement.requireExecutable("python3", "python3");
        int port;
        try (ServerSocketChannel probe = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        String script = String.join("\n",
                "import socket, sys",
                "srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
                "srv.bind(('127.0.0.1', int(sys.argv[1]))); srv.listen(1)",
                "c = socket.create_connection(('127.0.0.1', int(sys.argv[1]))); s, _ = srv.accept()",
                "c.sendmsg([b'PING ', b'msg'])",
                "data, _, _, _ = s.recvmsg(100)",
                "s.send(b'PONG')",
                "c.recv(100)",
                "c.close(); s.close()", "");
        try (RawEvents events = new RawEvents(new TraceConfig(1024, Set.of(), Set.of(port), SELF))) {
            Process p = new ProcessBuilder(python.toString(), "-c", script, Integer.toString(port)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            int pid = (int) p.pid();
            List<SocketEvent> data = events.await(e -> e.pid() == pid && e.type() == EventType.DATA, 4, WAIT);
            assertThat(data).extracting(SocketEvent::syscall)
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
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
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
                assertThat(events.await(e -> true, 1, Duration.ofMillis(500))).isEmpty();
                // ...until we are added.
                events.program().addPid(SELF);
                client.write(ascii("again"));
                assertThat(events.await(e -> e.syscall() == Syscall.WRITE, 1, WAIT)).hasSize(1);
            } finally {
                sleep.destroy();
            }
        }
    }

    @Test
    void listedProcessBringsTheChildrenItForksLater() throws Exception {
        Path curl = EbpfRequirement.requireExecutable("curl", "curl");
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            // sh waits for a line on stdin, then forks curl: curl's pid did not exist when tracing began.
            Process sh = new ProcessBuilder("/bin/sh", "-c", "read go; " + curl + " -s -m 5 http://127.0.0.1:" + port + "/forked")
                    .redirectErrorStream(true).start();
            try (RawEvents events = new RawEvents(new TraceConfig(1024, Set.of((int) sh.pid()), Set.of(port), SELF))) {
                sh.getOutputStream().write('\n');
                sh.getOutputStream().flush();
                try (SocketChannel accepted = server.accept()) {
                    List<SocketEvent> sent = events.await(e -> e.type() == EventType.DATA && e.direction() == Direction.EGRESS, 1, WAIT);
                    assertThat(sent).hasSize(1);
                    assertThat(sent.get(0).comm()).isEqualTo("curl");
                    assertThat(sent.get(0).pid()).isNotEqualTo((int) sh.pid());
                    assertThat(new String(sent.get(0).payload(), StandardCharsets.US_ASCII)).startsWith("GET /forked HTTP/1.1");
                    assertThat(accepted).isNotNull();
                }
            } finally {
                sh.destroy();
                sh.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static TraceConfig config(int port) {
        return new TraceConfig(TraceConfig.DEFAULT_CAPTURE, Set.of(SELF), port == 0 ? Set.of() : Set.of(port), SELF);
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
}
