package dev.threadline.bridge.ringbuf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.decode.Direction;
import dev.threadline.bridge.decode.EventType;
import dev.threadline.bridge.decode.SocketEvent;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.testing.EbpfRequirement;
import dev.threadline.bridge.testing.RawEvents;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both readers deliver every record intact and in order, across the ring's wrap-around. */
class RingReaderTest {
  private static final int SELF = (int) ProcessHandle.current().pid();

  @ParameterizedTest(name = "mapped={0}")
  @ValueSource(booleans = {true, false})
  void recordsArriveIntactInOrderAcrossWrapAround(boolean mapped) throws Exception {
    EbpfRequirement.requireEbpf();
    try (ServerSocketChannel server =
        ServerSocketChannel.open()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      // 8 KiB of ring for ~60 KiB of records: the positions wrap around many times.
      TraceConfig config =
          new TraceConfig(200, Set.of(SELF), Set.of(port), SELF).withRingBufferBytes(8192);
      int writes = 300;
      Predicate<SocketEvent> sent =
          e -> e.type() == EventType.DATA && e.direction() == Direction.EGRESS;
      try (RawEvents events = new RawEvents(config, mapped);
          SocketChannel client = SocketChannel.open(server.getLocalAddress());
          SocketChannel accepted = server.accept()) {
        for (int i = 0; i < writes; i++) {
          byte[] payload = new byte[150 + i % 50];
          Arrays.fill(payload, (byte) 0x5a);
          payload[0] = (byte) (i >> 8);
          payload[1] = (byte) i;
          client.write(ByteBuffer.wrap(payload));
          if (i % 5 == 4) {
            // Five records (< 1.5 KiB) at a time, each batch read before the next is written: none
            // can be lost however slow the consumer, and the positions still wrap.
            assertThat(events.await(sent, i + 1, Duration.ofSeconds(10))).hasSize(i + 1);
          }
        }
        List<SocketEvent> got = events.await(sent, writes, Duration.ofSeconds(10));
        assertThat(events.program().lostEvents()).isZero();
        assertThat(got).hasSize(writes);
        int previous = -1;
        for (SocketEvent e : got) {
          byte[] payload = e.payload();
          int index = (Byte.toUnsignedInt(payload[0]) << 8) | Byte.toUnsignedInt(payload[1]);
          assertThat(payload).hasSize(150 + index % 50);
          assertThat(Arrays.copyOfRange(payload, 2, payload.length)).containsOnly((byte) 0x5a);
          assertThat(e.bytes()).isEqualTo(payload.length);
          assertThat(index).isGreaterThan(previous);
          previous = index;
        }
        assertThat(accepted).isNotNull();
      }
    }
  }

  @org.junit.jupiter.api.Test
  void closingTwiceAndReadingAfterCloseAreHarmless() throws Exception {
    EbpfRequirement.requireEbpf();
    TraceConfig config =
        new TraceConfig(64, Set.of(SELF), Set.of(1), SELF).withRingBufferBytes(8192);
    try (dev.threadline.bridge.loader.SocketTraceProgram program =
        dev.threadline.bridge.loader.SocketTraceProgram.load(config)) {
      RingReader reader = RingReaders.mapped(program).open(record -> {});
      RingBufferConsumer consumer = RingBufferConsumer.start(sink -> reader, record -> {});
      consumer.close();
      consumer.close();
      reader.close();
      // The mappings are gone: a read now must return nothing rather than touch unmapped memory.
      assertThat(reader.drain()).isZero();
      assertThat(reader.poll(1)).isZero();
    }
  }
}
