package dev.threadline.sdk.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.context.RegionReader.Slot;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publisher against a real region file, read back through {@link RegionReader} (the layout
 * constants only). The listener is called directly, as the context-switch hook calls it; the forked
 * {@link ThreadContextInstallTest} covers the hook and the installer.
 */
class ThreadContextPublisherTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @TempDir Path dir;

  private final List<ThreadContextPublisher> opened = new ArrayList<>();

  @AfterEach
  void closeRegions() {
    opened.forEach(ThreadContextPublisher::close);
  }

  private ThreadContextPublisher open(int slots) {
    ThreadContextPublisher publisher = ThreadContextPublisher.open(dir, slots);
    opened.add(publisher);
    return publisher;
  }

  static Context span(String traceId, String spanId, TraceFlags flags) {
    return Context.root()
        .with(Span.wrap(SpanContext.create(traceId, spanId, flags, TraceState.getDefault())));
  }

  static Context span(String spanId) {
    return span(TRACE, spanId, TraceFlags.getSampled());
  }

  /** Runs {@code work} on a new platform thread and returns its result. */
  static <T> T onNewThread(Callable<T> work) throws Exception {
    FutureTask<T> task = new FutureTask<>(work);
    Thread thread = new Thread(task, "publisher-test");
    thread.start();
    try {
      return task.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    } finally {
      thread.join();
    }
  }

  @Test
  void headerDescribesTheRegion() throws Exception {
    ThreadContextPublisher publisher = open(1024);
    Path file = dir.resolve("threadline-ctx." + ProcessHandle.current().pid());
    assertThat(publisher.regionPath()).isEqualTo(file);
    RegionReader region = new RegionReader(file);
    assertThat(region.fileSize).isEqualTo(64 + 1024 * 64);
    assertThat(region.headerLong(ThreadContextLayout.HEADER_MAGIC)).isEqualTo(0x5854434c4e4c5454L);
    assertThat(region.headerInt(ThreadContextLayout.HEADER_VERSION)).isEqualTo(1);
    assertThat(region.headerInt(ThreadContextLayout.HEADER_SLOT_SIZE)).isEqualTo(64);
    assertThat(region.headerInt(ThreadContextLayout.HEADER_SLOT_COUNT)).isEqualTo(1024);
    assertThat(region.headerInt(ThreadContextLayout.HEADER_TGID))
        .isEqualTo((int) ProcessHandle.current().pid());
    assertThat(region.headerLong(ThreadContextLayout.HEADER_CLAIMS)).isZero();
    assertThat(region.headerLong(ThreadContextLayout.HEADER_FULL)).isZero();
    // On little-endian machines the magic reads "TTLNLCTX" byte by byte.
    byte[] magic = new byte[8];
    region.buffer.get(0, magic);
    if (java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN) {
      assertThat(new String(magic, java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("TTLNLCTX");
    }
  }

  @Test
  void aSpanIsPublishedWithItsIdsAndFlagsAndClearedOnRestore() throws Exception {
    ThreadContextPublisher publisher = open(4096);
    RegionReader region = new RegionReader(publisher.regionPath());
    onNewThread(
        () -> {
          int tid = RegionReader.currentTid();
          publisher.onContextSwitch(span("00f067aa0ba902b7"));
          Slot slot = region.slotOf(tid);
          assertThat(slot.valid).isEqualTo((byte) 1);
          assertThat(slot.traceId).isEqualTo(TRACE);
          assertThat(slot.spanId).isEqualTo("00f067aa0ba902b7");
          assertThat(slot.flags).isEqualTo((byte) 1);
          assertThat(slot.attrsDataSize).isZero();
          // The slot is one of the thread's probes.
          assertThat(slot.index)
              .isIn(tid & 4095, (tid + 1) & 4095, (tid + 2) & 4095, (tid + 3) & 4095);

          publisher.onContextSwitch(Context.root());
          assertThat(region.slotOf(tid).valid).isZero();

          // One span attached again after a restore, and again after another span's ids replaced
          // its own in the record.
          Context first = span("2222222222222222");
          Context second = span("1111111111111111");
          publisher.onContextSwitch(first);
          publisher.onContextSwitch(Context.root());
          publisher.onContextSwitch(first);
          assertThat(region.slotOf(tid).valid).isEqualTo((byte) 1);
          assertThat(region.slotOf(tid).spanId).isEqualTo("2222222222222222");
          publisher.onContextSwitch(second);
          publisher.onContextSwitch(Context.root());
          publisher.onContextSwitch(first);
          assertThat(region.slotOf(tid).valid).isEqualTo((byte) 1);
          assertThat(region.slotOf(tid).spanId).isEqualTo("2222222222222222");
          return null;
        });
    assertThat(publisher.claims()).isEqualTo(1);
    assertThat(
            new RegionReader(publisher.regionPath()).headerLong(ThreadContextLayout.HEADER_CLAIMS))
        .isEqualTo(1);
  }

  @Test
  void nestedSpansRestoreTheParentsIds() throws Exception {
    ThreadContextPublisher publisher = open(4096);
    RegionReader region = new RegionReader(publisher.regionPath());
    Context parent = span("a1a1a1a1a1a1a1a1");
    Context child = span("ffffffffffffffff".substring(4) + "b2b2");
    Context other = span("ab12ab12ab12ab12".repeat(2), "c3c3c3c3c3c3c3c3", TraceFlags.getSampled());
    onNewThread(
        () -> {
          int tid = RegionReader.currentTid();
          publisher.onContextSwitch(parent);
          publisher.onContextSwitch(child);
          assertThat(region.slotOf(tid).spanId).isEqualTo("ffffffffffffb2b2");
          publisher.onContextSwitch(parent);
          assertThat(region.slotOf(tid).spanId).isEqualTo("a1a1a1a1a1a1a1a1");
          assertThat(region.slotOf(tid).traceId).isEqualTo(TRACE);
          // A third span evicts one cached entry; every one still publishes its own ids.
          publisher.onContextSwitch(other);
          assertThat(region.slotOf(tid).traceId).isEqualTo("ab12ab12ab12ab12".repeat(2));
          assertThat(region.slotOf(tid).spanId).isEqualTo("c3c3c3c3c3c3c3c3");
          publisher.onContextSwitch(child);
          assertThat(region.slotOf(tid).spanId).isEqualTo("ffffffffffffb2b2");
          publisher.onContextSwitch(parent);
          Slot slot = region.slotOf(tid);
          assertThat(slot.traceId).isEqualTo(TRACE);
          assertThat(slot.spanId).isEqualTo("a1a1a1a1a1a1a1a1");
          assertThat(slot.valid).isEqualTo((byte) 1);
          return null;
        });
  }

  @Test
  void unsampledSpansArePublishedWithTheirFlags() throws Exception {
    ThreadContextPublisher publisher = open(4096);
    RegionReader region = new RegionReader(publisher.regionPath());
    onNewThread(
        () -> {
          int tid = RegionReader.currentTid();
          publisher.onContextSwitch(span(TRACE, "1234567890abcdef", TraceFlags.getDefault()));
          Slot slot = region.slotOf(tid);
          assertThat(slot.valid).isEqualTo((byte) 1);
          assertThat(slot.flags).isZero();
          assertThat(slot.spanId).isEqualTo("1234567890abcdef");
          return null;
        });
  }

  @Test
  void theOwnerIsTheThreadsKernelTidAndStartTime() throws Exception {
    ThreadContextPublisher publisher = open(4096);
    RegionReader region = new RegionReader(publisher.regionPath());
    onNewThread(
        () -> {
          int tid = RegionReader.currentTid();
          // A thread of this process other than the main one, as the kernel lists it.
          assertThat(Files.isDirectory(Path.of("/proc/self/task/" + tid))).isTrue();
          assertThat((long) tid).isNotEqualTo(ProcessHandle.current().pid());
          publisher.onContextSwitch(span("00f067aa0ba902b7"));
          Slot slot = region.slotOf(tid);
          assertThat(slot.ownerStart).isEqualTo(RegionReader.startTicksOf(tid)).isPositive();
          return null;
        });
  }

  @Test
  void aCarrierShowsTheMountedContextAndGetsItsOwnBack() throws Exception {
    ThreadContextPublisher publisher = open(4096);
    RegionReader region = new RegionReader(publisher.regionPath());
    onNewThread(
        () -> {
          int tid = RegionReader.currentTid();
          Thread self = Thread.currentThread();
          publisher.onContextSwitch(span("0000000000000a0a"));
          publisher.publishOnCarrier(self, span("0000000000000b0b"));
          assertThat(region.slotOf(tid).spanId).isEqualTo("0000000000000b0b");
          publisher.restoreCarrier(self);
          assertThat(region.slotOf(tid).spanId).isEqualTo("0000000000000a0a");
          assertThat(region.slotOf(tid).valid).isEqualTo((byte) 1);
          publisher.onContextSwitch(Context.root());
          publisher.publishOnCarrier(self, span("0000000000000c0c"));
          assertThat(region.slotOf(tid).valid).isEqualTo((byte) 1);
          publisher.restoreCarrier(self);
          assertThat(region.slotOf(tid).valid).isZero();
          return null;
        });
    assertThat(publisher.claims()).isEqualTo(1);
  }

  @Test
  void fourSlotsForEightLiveThreadsPublishFourAndCountTheRestAsFull() throws Exception {
    ThreadContextPublisher publisher = open(4);
    RegionReader region = new RegionReader(publisher.regionPath());
    CountDownLatch published = new CountDownLatch(8);
    CountDownLatch release = new CountDownLatch(1);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Integer> tids = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String spanId = String.format("%016x", i + 1);
      Thread thread =
          new Thread(
              () -> {
                try {
                  tids.add(RegionReader.currentTid());
                  publisher.onContextSwitch(span(spanId));
                  publisher.onContextSwitch(Context.root());
                  publisher.onContextSwitch(span(spanId)); // a refused thread never retries
                  published.countDown();
                  release.await();
                } catch (Throwable t) {
                  failures.add(t);
                  published.countDown();
                }
              });
      threads.add(thread);
      thread.start();
    }
    published.await();
    try {
      assertThat(failures).isEmpty();
      List<Integer> owners = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Slot slot = region.slot(i);
        assertThat(slot.valid).as("%s", slot).isEqualTo((byte) 1);
        owners.add(slot.ownerTid);
      }
      assertThat(owners).doesNotHaveDuplicates();
      assertThat(tids).containsAll(owners);
      assertThat(publisher.claims()).isEqualTo(4);
      assertThat(publisher.full()).isEqualTo(4);
      assertThat(region.headerLong(ThreadContextLayout.HEADER_FULL)).isEqualTo(4);
    } finally {
      release.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
    }
  }

  @Test
  void manyShortLivedThreadsReuseTheSlotsOfDeadOnes() throws Exception {
    int slots = 4096;
    int total = 100_000;
    int batch = 8;
    ThreadContextPublisher publisher = open(slots);
    Path file = publisher.regionPath();
    RegionReader region = new RegionReader(file);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    for (int started = 0; started < total; started += batch) {
      CountDownLatch published = new CountDownLatch(batch);
      CountDownLatch release = new CountDownLatch(1);
      int[] tids = new int[batch];
      Thread[] threads = new Thread[batch];
      for (int i = 0; i < batch; i++) {
        int n = i;
        String spanId = String.format("%016x", started + i + 1);
        Context context = span(spanId);
        threads[i] =
            new Thread(
                () -> {
                  try {
                    tids[n] = RegionReader.currentTid();
                    publisher.onContextSwitch(context);
                    published.countDown();
                    release.await();
                    publisher.onContextSwitch(Context.root());
                  } catch (Throwable t) {
                    failures.add(t);
                    published.countDown();
                  }
                });
        threads[i].start();
      }
      published.await();
      // While inside its span, each live thread has exactly one slot, valid, with its own span.
      for (int i = 0; i < batch; i++) {
        Slot slot = slotAmongProbes(region, tids[i], slots);
        assertThat(slot.valid).as("thread %d %s", started + i, slot).isEqualTo((byte) 1);
        assertThat(slot.spanId).isEqualTo(String.format("%016x", started + i + 1));
      }
      release.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
      if (!failures.isEmpty()) {
        break;
      }
    }
    assertThat(failures).isEmpty();
    for (int i = 0; i < slots; i++) {
      Slot slot = region.slot(i);
      if (slot.valid == 1) {
        assertThat(Files.isDirectory(Path.of("/proc/self/task/" + slot.ownerTid)))
            .as("valid %s belongs to a live thread", slot)
            .isTrue();
      }
    }
    assertThat(publisher.claims()).isEqualTo(total);
    assertThat(region.headerLong(ThreadContextLayout.HEADER_CLAIMS)).isEqualTo(total);
    assertThat(publisher.full()).isZero();
    assertThat(region.headerLong(ThreadContextLayout.HEADER_FULL)).isZero();
    assertThat(Files.size(file)).isEqualTo(64 + slots * 64L);
  }

  /** The one slot among {@code tid}'s probes that it owns. */
  private static Slot slotAmongProbes(RegionReader region, int tid, int slots) {
    List<Slot> owned = new ArrayList<>();
    for (int probe = 0; probe < ThreadContextLayout.PROBES; probe++) {
      Slot slot = region.slot((tid + probe) & (slots - 1));
      if (slot.ownerTid == tid) {
        owned.add(slot);
      }
    }
    assertThat(owned).as("slots of tid %d", tid).hasSize(1);
    return owned.get(0);
  }

  @Test
  void aRegionThatCannotBeCreatedLogsOneWarningAndPublishesNothing() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    // Not a directory, and a file system where even root creates no file.
    for (Path unusable : List.of(notADirectory, Path.of("/proc/self"))) {
      List<ThreadContextPublisher> publishers = new ArrayList<>();
      List<LogRecord> warnings =
          captureWarnings(() -> publishers.add(ThreadContextPublisher.open(unusable, 4096)));
      ThreadContextPublisher publisher = publishers.get(0);
      assertThat(warnings).as("warnings for %s", unusable).hasSize(1);
      assertThat(warnings.get(0).getMessage())
          .contains("threadline.context.region.dir")
          .contains(unusable.resolve("threadline-ctx." + ProcessHandle.current().pid()).toString());
      assertThat(publisher.isActive()).isFalse();
      assertThat(publisher.regionPath()).isNull();
      onNewThread(
          () -> {
            publisher.onContextSwitch(span("00f067aa0ba902b7"));
            publisher.publishOnCarrier(Thread.currentThread(), span("00f067aa0ba902b7"));
            publisher.restoreCarrier(Thread.currentThread());
            publisher.onContextSwitch(Context.root());
            return null;
          });
      assertThat(publisher.claims()).isZero();
      assertThat(publisher.full()).isZero();
    }
  }

  @Test
  void startingRemovesTheRegionsOfDeadProcessesOnly() throws Exception {
    Process exited = new ProcessBuilder("true").start();
    exited.waitFor();
    long deadPid = exited.pid();
    long livePid = ProcessHandle.current().parent().orElseThrow().pid();
    Path dead = Files.writeString(dir.resolve("threadline-ctx." + deadPid), "old");
    Path live = Files.writeString(dir.resolve("threadline-ctx." + livePid), "in use");
    Path unrelated = Files.writeString(dir.resolve("threadline-ctx.notapid"), "other");

    ThreadContextPublisher publisher = open(64);

    assertThat(publisher.isActive()).isTrue();
    assertThat(dead).doesNotExist();
    assertThat(live).exists();
    assertThat(unrelated).exists();
  }

  @Test
  void closeRemovesTheRegionFile() throws Exception {
    ThreadContextPublisher publisher = open(64);
    Path file = publisher.regionPath();
    assertThat(file).exists();
    publisher.close();
    assertThat(file).doesNotExist();
    // A new region can then be created in the same directory.
    assertThat(open(64).regionPath()).isEqualTo(file).exists();
  }

  private List<LogRecord> captureWarnings(Runnable action) throws IOException {
    Logger logger = Logger.getLogger("dev.threadline");
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
              records.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try {
      action.run();
    } finally {
      logger.removeHandler(handler);
    }
    return records;
  }
}
