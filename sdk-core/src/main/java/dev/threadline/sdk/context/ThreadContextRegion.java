package dev.threadline.sdk.context;

import static dev.threadline.sdk.context.ThreadContextLayout.FILE_PREFIX;
import static dev.threadline.sdk.context.ThreadContextLayout.HEADER_CLAIMS;
import static dev.threadline.sdk.context.ThreadContextLayout.HEADER_FULL;
import static dev.threadline.sdk.context.ThreadContextLayout.HEADER_MAGIC;
import static dev.threadline.sdk.context.ThreadContextLayout.HEADER_SIZE;
import static dev.threadline.sdk.context.ThreadContextLayout.HEADER_SLOT_COUNT;
import static dev.threadline.sdk.context.ThreadContextLayout.HEADER_SLOT_SIZE;
import static dev.threadline.sdk.context.ThreadContextLayout.HEADER_TGID;
import static dev.threadline.sdk.context.ThreadContextLayout.HEADER_VERSION;
import static dev.threadline.sdk.context.ThreadContextLayout.PROBES;
import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_VALID;
import static dev.threadline.sdk.context.ThreadContextLayout.SLOT_OWNER_START;
import static dev.threadline.sdk.context.ThreadContextLayout.SLOT_OWNER_TID;
import static dev.threadline.sdk.context.ThreadContextLayout.SLOT_SIZE;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The mapped region file {@code <dir>/threadline-ctx.<pid>}: its creation (header written magic
 * last), the claiming of slots, and its removal. Slots are claimed with a compare-and-set on their
 * {@code owner_tid}; a slot whose owner thread is gone is taken over through the Java-side owner
 * array, so that two claimers never both win it.
 */
final class ThreadContextRegion {

  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
  private static final VarHandle LONG =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  final Path path;
  final int slotCount;
  private final MappedByteBuffer buffer;
  private final AtomicReferenceArray<ThreadSlot> owners;
  private final AtomicLong claims = new AtomicLong();
  private final AtomicLong full = new AtomicLong();

  private ThreadContextRegion(Path path, int slotCount, MappedByteBuffer buffer) {
    this.path = path;
    this.slotCount = slotCount;
    this.buffer = buffer;
    this.owners = new AtomicReferenceArray<>(slotCount);
  }

  /**
   * Creates, sizes, zero-fills and maps the region of this process in {@code directory}, after
   * removing the regions of processes that no longer exist.
   *
   * @throws IOException when the file cannot be created, filled or mapped; nothing is left behind
   */
  static ThreadContextRegion create(Path directory, int slotCount) throws IOException {
    long pid = ProcessHandle.current().pid();
    removeStale(directory);
    Path path = directory.resolve(FILE_PREFIX + pid);
    if (Files.exists(path) && mappedHere(path)) {
      throw new IOException("already mapped by another Threadline in this process");
    }
    // A file of ours that this process does not map is left by a dead process with our pid.
    Files.deleteIfExists(path);
    int size = HEADER_SIZE + slotCount * SLOT_SIZE;
    try (FileChannel channel =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
      // Written, not just mapped: on tmpfs a mapping past the free space faults at the first store;
      // writing the zeros makes "no space" an IOException here.
      ByteBuffer zeros = ByteBuffer.allocate(Math.min(size, 64 * 1024));
      for (long at = 0; at < size; ) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
        at += channel.write(zeros, at);
      }
      MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
      buffer.order(ByteOrder.nativeOrder());
      ThreadContextRegion region = new ThreadContextRegion(path, slotCount, buffer);
      region.writeHeader((int) pid);
      return region;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(path);
      throw e;
    }
  }

  private void writeHeader(int pid) {
    INT.set(buffer, HEADER_VERSION, ThreadContextLayout.VERSION);
    INT.set(buffer, HEADER_SLOT_SIZE, SLOT_SIZE);
    INT.set(buffer, HEADER_SLOT_COUNT, slotCount);
    INT.set(buffer, HEADER_TGID, pid);
    LONG.set(buffer, HEADER_CLAIMS, 0L);
    LONG.set(buffer, HEADER_FULL, 0L);
    // Magic last, after a release fence: a reader that sees it sees the whole header.
    VarHandle.releaseFence();
    LONG.setRelease(buffer, HEADER_MAGIC, ThreadContextLayout.MAGIC);
  }

  /**
   * Claims a slot for {@code owner}, whose OS thread is {@code os}: the slot {@code owner} already
   * owns among its probes, else a free one, else one whose owner is gone. The owner's start time is
   * written and its record cleared before this returns.
   *
   * @return the slot, or {@code null} (counted as full) when every probe is taken by a live thread
   */
  ThreadSlot claim(Thread owner, OsThread os) {
    int mask = slotCount - 1;
    for (int probe = 0; probe < PROBES; probe++) {
      ThreadSlot existing = owners.get((os.tid + probe) & mask);
      if (existing != null && existing.get() == owner && existing.tid == os.tid) {
        return existing;
      }
    }
    for (int probe = 0; probe < PROBES; probe++) {
      int index = (os.tid + probe) & mask;
      int offset = HEADER_SIZE + index * SLOT_SIZE;
      ThreadSlot slot = new ThreadSlot(owner, buffer, offset, os.tid);
      ThreadSlot previous = owners.get(index);
      boolean won;
      if (previous == null) {
        // Free (never claimed): the region's owner_tid decides; the owner array follows.
        won = INT.compareAndSet(buffer, offset + SLOT_OWNER_TID, 0, os.tid);
        if (won) {
          owners.set(index, slot);
        }
      } else {
        // Claimed before: only a slot whose owner is gone, and the owner array decides.
        won = previous.ownerGone() && owners.compareAndSet(index, previous, slot);
        if (won) {
          INT.setVolatile(buffer, offset + SLOT_OWNER_TID, os.tid);
        }
      }
      if (won) {
        buffer.put(offset + RECORD_VALID, (byte) 0);
        LONG.setRelease(buffer, offset + SLOT_OWNER_START, os.startTicks);
        claims.incrementAndGet();
        LONG.getAndAdd(buffer, HEADER_CLAIMS, 1L);
        return slot;
      }
    }
    full.incrementAndGet();
    LONG.getAndAdd(buffer, HEADER_FULL, 1L);
    return null;
  }

  long claims() {
    return claims.get();
  }

  long full() {
    return full.get();
  }

  /** Removes the file (the mapping stays valid until the JVM exits). */
  void delete() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Nothing more to do at exit; the next Threadline start in this directory removes it.
    }
  }

  /** Deletes {@code threadline-ctx.<pid>} files of processes that no longer exist. */
  static void removeStale(Path directory) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, FILE_PREFIX + "*")) {
      for (Path file : files) {
        String suffix = file.getFileName().toString().substring(FILE_PREFIX.length());
        if (!suffix.matches("\\d{1,10}")) {
          continue;
        }
        long pid = Long.parseLong(suffix);
        if (ProcessHandle.of(pid).isEmpty()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /** Whether this process maps {@code path} already (another copy of Threadline does). */
  private static boolean mappedHere(Path path) throws IOException {
    String name = path.toAbsolutePath().toString();
    for (String line : Files.readAllLines(Path.of("/proc/self/maps"), StandardCharsets.UTF_8)) {
      if (line.endsWith(" " + name)) {
        return true;
      }
    }
    return false;
  }
}
