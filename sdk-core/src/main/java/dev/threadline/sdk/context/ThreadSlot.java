package dev.threadline.sdk.context;

import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_SPAN_ID;
import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_TRACE_ID;
import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_VALID;

import io.opentelemetry.api.trace.SpanContext;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One thread's claimed slot: where its record lives, and the ids of the last two span contexts it
 * published, already parsed (matched by identity, so re-attaching a span parses no hex). It is also
 * the region's Java-side note of the slot's owner (a weak reference, so a dead thread's slot can be
 * taken over).
 *
 * <p>The region buffer is in native byte order. Written only by its owner thread, or by a virtual
 * thread mounted on it (the owner is then not running): never concurrently.
 */
final class ThreadSlot extends WeakReference<Thread> {

  /** Shift of {@code trace_flags} in the native-order int holding valid, flags, attrs_data_size. */
  private static final int FLAGS_SHIFT =
      ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 8 : 16;

  /** The state of a thread that publishes nothing (virtual, or no free slot). */
  static final ThreadSlot NONE = new ThreadSlot(null, null, -1, -1);

  /** A virtual thread's: it has no slot; its context goes into its carrier's, when known. */
  static final ThreadSlot VIRTUAL = new ThreadSlot(null, null, -1, -1);

  private final ByteBuffer region;

  /** Offset of the slot in the region, or -1 when this thread publishes nothing. */
  final int offset;

  /** The owner's tid. */
  final int tid;

  /** The slot's address in memory, or -1: written through {@link #region} instead. */
  private final long address;

  // Two-entry cache: span context (by identity) -> its ids as stored (native-order longs holding
  // the W3C bytes) and its flags word. A is the entry used last.
  private SpanContext contextA;
  private long traceHighA;
  private long traceLowA;
  private long spanA;
  private int flagsA;
  private SpanContext contextB;
  private long traceHighB;
  private long traceLowB;
  private long spanB;
  private int flagsB;

  /** The owner's own current span context (null: none); what a carrier gets back on unmount. */
  SpanContext own;

  ThreadSlot(Thread owner, ByteBuffer region, int offset, int tid) {
    super(owner);
    this.region = region;
    this.offset = offset;
    this.tid = tid;
    long base = RawMemory.address(region);
    this.address = base < 0 || offset < 0 ? -1 : base + offset;
  }

  /** Whether the owner thread is gone: the slot may be taken over. */
  boolean ownerGone() {
    Thread owner = get();
    return owner == null || !owner.isAlive();
  }

  /** Publishes {@code context} (null or invalid: no span) as this slot's record. */
  void write(SpanContext context) {
    // Kept small on purpose: inlined into the context switch, it lets the JIT remove the scope
    // allocation there; anything rare goes out of line.
    long address = this.address;
    if (address < 0) {
      writeThroughBuffer(context);
    } else if (context == null || !context.isValid()) {
      RawMemory.putByte(address + RECORD_VALID, (byte) 0);
    } else {
      if (context != contextA) {
        select(context);
      }
      // valid = 0, trace_flags, attrs_data_size = 0 in one store, then the ids, then valid = 1.
      RawMemory.putInt(address + RECORD_VALID, flagsA);
      RawMemory.putLong(address + RECORD_TRACE_ID, traceHighA);
      RawMemory.putLong(address + RECORD_TRACE_ID + 8, traceLowA);
      RawMemory.putLong(address + RECORD_SPAN_ID, spanA);
      VarHandle.releaseFence();
      RawMemory.putByte(address + RECORD_VALID, (byte) 1);
    }
  }

  /** {@link #write} where stores by address are not available. */
  private void writeThroughBuffer(SpanContext context) {
    ByteBuffer region = this.region;
    int base = offset;
    if (context == null || !context.isValid()) {
      region.put(base + RECORD_VALID, (byte) 0);
      return;
    }
    if (context != contextA) {
      select(context);
    }
    region.putInt(base + RECORD_VALID, flagsA);
    region.putLong(base + RECORD_TRACE_ID, traceHighA);
    region.putLong(base + RECORD_TRACE_ID + 8, traceLowA);
    region.putLong(base + RECORD_SPAN_ID, spanA);
    VarHandle.releaseFence();
    region.put(base + RECORD_VALID, (byte) 1);
  }

  /** Makes {@code context} entry A: the former B if it is that one, else parsed. */
  private void select(SpanContext context) {
    if (context == contextB) {
      swap();
    } else {
      parse(context);
    }
  }

  /** Makes entry B the first one (A); the former A becomes B. */
  private void swap() {
    SpanContext context = contextB;
    long high = traceHighB;
    long low = traceLowB;
    long span = spanB;
    int flags = flagsB;
    contextB = contextA;
    traceHighB = traceHighA;
    traceLowB = traceLowA;
    spanB = spanA;
    flagsB = flagsA;
    contextA = context;
    traceHighA = high;
    traceLowA = low;
    spanA = span;
    flagsA = flags;
  }

  /** Parses {@code context}'s ids into entry A, the former A moving to B. */
  private void parse(SpanContext context) {
    contextB = contextA;
    traceHighB = traceHighA;
    traceLowB = traceLowA;
    spanB = spanA;
    flagsB = flagsA;
    String traceId = context.getTraceId();
    contextA = context;
    traceHighA = stored(hex(traceId, 0));
    traceLowA = stored(hex(traceId, 16));
    spanA = stored(hex(context.getSpanId(), 0));
    flagsA = (context.getTraceFlags().asByte() & 0xff) << FLAGS_SHIFT;
  }

  /** The long whose native-order store writes {@code id}'s bytes most significant first. */
  private static long stored(long id) {
    return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? id : Long.reverseBytes(id);
  }

  /** Sixteen lower-case hex digits from {@code from} (a valid OpenTelemetry id) as a long. */
  static long hex(String id, int from) {
    long value = 0;
    for (int i = from; i < from + 16; i++) {
      char c = id.charAt(i);
      value = (value << 4) | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return value;
  }
}
