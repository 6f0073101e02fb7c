package dev.threadline.sdk.context;

import static dev.threadline.sdk.context.ThreadContextLayout.HEADER_SIZE;
import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_ATTRS_DATA_SIZE;
import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_SPAN_ID;
import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_TRACE_FLAGS;
import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_TRACE_ID;
import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_VALID;
import static dev.threadline.sdk.context.ThreadContextLayout.SLOT_OWNER_START;
import static dev.threadline.sdk.context.ThreadContextLayout.SLOT_OWNER_TID;
import static dev.threadline.sdk.context.ThreadContextLayout.SLOT_SIZE;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The test's own reader of a thread-context region: maps the file read-only and decodes it with
 * {@link ThreadContextLayout}'s constants only, as the BPF program does with the C header.
 */
final class RegionReader {

  final MappedByteBuffer buffer;
  final long fileSize;

  RegionReader(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      fileSize = channel.size();
      buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileSize);
      buffer.order(ByteOrder.nativeOrder());
    }
  }

  long headerLong(int offset) {
    return buffer.getLong(offset);
  }

  int headerInt(int offset) {
    return buffer.getInt(offset);
  }

  int slotCount() {
    return buffer.getInt(ThreadContextLayout.HEADER_SLOT_COUNT);
  }

  Slot slot(int index) {
    int base = HEADER_SIZE + index * SLOT_SIZE;
    byte[] trace = new byte[16];
    byte[] span = new byte[8];
    buffer.get(base + RECORD_TRACE_ID, trace);
    buffer.get(base + RECORD_SPAN_ID, span);
    return new Slot(
        index,
        buffer.getInt(base + SLOT_OWNER_TID),
        buffer.getLong(base + SLOT_OWNER_START),
        buffer.get(base + RECORD_VALID),
        buffer.get(base + RECORD_TRACE_FLAGS),
        buffer.getShort(base + RECORD_ATTRS_DATA_SIZE),
        hex(trace),
        hex(span));
  }

  /** Every slot whose owner is {@code tid}. */
  List<Slot> slotsOf(int tid) {
    List<Slot> found = new ArrayList<>();
    for (int i = 0; i < slotCount(); i++) {
      Slot slot = slot(i);
      if (slot.ownerTid == tid) {
        found.add(slot);
      }
    }
    return found;
  }

  /** The one slot {@code tid} owns; fails when there is none or more than one. */
  Slot slotOf(int tid) {
    List<Slot> found = slotsOf(tid);
    if (found.size() != 1) {
      throw new AssertionError("tid " + tid + " owns " + found.size() + " slots");
    }
    return found.get(0);
  }

  private static String hex(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes) {
      text.append(String.format("%02x", b & 0xff));
    }
    return text.toString();
  }

  /** The calling thread's tid, from the kernel: {@code /proc/thread-self -> <pid>/task/<tid>}. */
  static int currentTid() throws IOException {
    String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
    String[] parts = link.split("/");
    if (parts.length != 3 || !parts[1].equals("task")) {
      throw new AssertionError("unexpected /proc/thread-self link " + link);
    }
    return Integer.parseInt(parts[2]);
  }

  /** Field 22 of {@code /proc/self/task/<tid>/stat}, split independently of the code under test. */
  static long startTicksOf(int tid) throws IOException {
    String stat =
        Files.readString(Path.of("/proc/self/task/" + tid + "/stat"), StandardCharsets.US_ASCII);
    String[] afterName = stat.substring(stat.lastIndexOf(") ") + 2).trim().split(" +");
    return Long.parseLong(afterName[22 - 3]);
  }

  /** One decoded slot. */
  static final class Slot {
    final int index;
    final int ownerTid;
    final long ownerStart;
    final byte valid;
    final byte flags;
    final short attrsDataSize;
    final String traceId;
    final String spanId;

    Slot(
        int index,
        int ownerTid,
        long ownerStart,
        byte valid,
        byte flags,
        short attrsDataSize,
        String traceId,
        String spanId) {
      this.index = index;
      this.ownerTid = ownerTid;
      this.ownerStart = ownerStart;
      this.valid = valid;
      this.flags = flags;
      this.attrsDataSize = attrsDataSize;
      this.traceId = traceId;
      this.spanId = spanId;
    }

    @Override
    public String toString() {
      return "slot " + index + " tid=" + ownerTid + " valid=" + valid + " span=" + spanId;
    }
  }
}
