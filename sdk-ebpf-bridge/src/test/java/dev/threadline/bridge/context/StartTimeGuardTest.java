package dev.threadline.bridge.context;

import static dev.threadline.sdk.context.ThreadContextLayout.HEADER_SIZE;
import static dev.threadline.sdk.context.ThreadContextLayout.SLOT_OWNER_START;
import static dev.threadline.sdk.context.ThreadContextLayout.SLOT_OWNER_TID;
import static dev.threadline.sdk.context.ThreadContextLayout.SLOT_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.decode.Direction;
import dev.threadline.bridge.decode.EventType;
import dev.threadline.bridge.decode.SocketEvent;
import dev.threadline.bridge.decode.ThreadStamp;
import dev.threadline.bridge.loader.ThreadContextRegions;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.testing.EbpfRequirement;
import dev.threadline.bridge.testing.RawEvents;
import dev.threadline.sdk.context.ThreadContextPublisher;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel side trusts a slot only when its start time is the calling thread's own, to the tick:
 * a slot left by a dead thread whose tid was reused names an earlier start time (or a later one,
 * read the other way round). Here the test thread's slot is made to name a start time one tick away
 * on either side, and the program must not stamp its writes then, and must again once the start
 * time is put back.
 */
class StartTimeGuardTest {
  private static final SpanContext SPAN =
      SpanContext.create(
          "4bf92f3577b34da6a3ce929d0e0e4736",
          "00f067aa0ba902b7",
          TraceFlags.getSampled(),
          TraceState.getDefault());

  @TempDir Path regionDir;

  @BeforeAll
  static void requireKernel() {
    EbpfRequirement.requireEbpf();
  }

  @Test
  void aSlotWhoseStartTimeIsOneTickOffIsNeverTrusted() throws Exception {
    ThreadContextPublisher publisher = ThreadContextPublisher.open(regionDir, 64);
    assertThat(publisher.isActive()).as("the region was created").isTrue();
    int pid = (int) ProcessHandle.current().pid();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RawEvents events =
            new RawEvents(new TraceConfig(256, Set.of(pid), Set.of(server.getLocalPort()), -1))) {
      ThreadContextRegions regions =
          ThreadContextRegions.forProgram(events.program(), List.of(regionDir));
      regions.scan();
      assertThat(regions.registeredPids()).as("this process's region is registered").contains(pid);
      ExecutorService threads = Executors.newCachedThreadPool();
      Future<?> drained = threads.submit(() -> drain(server));
      long[] offsets = {0, 1, -1, 0};
      List<String> lines = new ArrayList<>();
      for (long offset : offsets) {
        lines.add("start" + (offset < 0 ? "" : "+") + offset + "\n");
      }
      // One thread of its own: it claims the slot, and makes every write whose stamp is checked.
      threads
          .submit(
              () -> {
                publisher.onContextSwitch(Context.root().with(Span.wrap(SPAN)));
                writeWithStartTimeOffsets(server.getLocalPort(), offsets, lines);
                return null;
              })
          .get(60, TimeUnit.SECONDS);
      List<SocketEvent> writes =
          events.await(
              e ->
                  e.type() == EventType.DATA && e.pid() == pid && e.direction() == Direction.EGRESS,
              offsets.length,
              Duration.ofSeconds(30));
      assertThat(writes).hasSize(offsets.length);
      for (int i = 0; i < offsets.length; i++) {
        SocketEvent write = writes.get(i);
        assertThat(new String(write.payload(), StandardCharsets.US_ASCII)).isEqualTo(lines.get(i));
        ThreadStamp stamp = write.stamp();
        if (offsets[i] == 0) {
          assertThat(stamp).as("the slot's own start time: " + lines.get(i)).isNotNull();
          assertThat(stamp.traceId()).isEqualTo(SPAN.getTraceId());
          assertThat(stamp.spanId()).isEqualTo(SPAN.getSpanId());
        } else {
          assertThat(stamp).as("a start time one tick off: " + lines.get(i)).isNull();
        }
      }
      drained.get(30, TimeUnit.SECONDS);
      threads.shutdown();
    } finally {
      publisher.close();
    }
  }

  /** On the slot's owner: each line is written with the slot's start time moved by its offset. */
  private void writeWithStartTimeOffsets(int port, long[] offsets, List<String> lines)
      throws Exception {
    int tid =
        Integer.parseInt(
            Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    Path file = regionDir.resolve("threadline-ctx." + ProcessHandle.current().pid());
    try (FileChannel channel =
            FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      MappedByteBuffer region = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
      region.order(ByteOrder.nativeOrder());
      int slot = slotOf(region, tid);
      long start = region.getLong(slot + SLOT_OWNER_START);
      assertThat(start).as("the slot's start time").isPositive();
      OutputStream out = socket.getOutputStream();
      for (int i = 0; i < offsets.length; i++) {
        region.putLong(slot + SLOT_OWNER_START, start + offsets[i]);
        out.write(lines.get(i).getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      region.putLong(slot + SLOT_OWNER_START, start);
    }
  }

  /** The offset of the slot {@code tid} claimed. */
  private static int slotOf(MappedByteBuffer region, int tid) {
    for (int offset = HEADER_SIZE; offset + SLOT_SIZE <= region.limit(); offset += SLOT_SIZE) {
      if (region.getInt(offset + SLOT_OWNER_TID) == tid) {
        return offset;
      }
    }
    throw new AssertionError("no slot claimed by tid " + tid);
  }

  /** Accepts the test's connection and reads it to the end. */
  private static Void drain(ServerSocket server) throws Exception {
    try (Socket socket = server.accept()) {
      socket.getInputStream().transferTo(OutputStream.nullOutputStream());
    }
    return null;
  }
}
