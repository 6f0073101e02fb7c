package dev.threadline.sdk.context;

import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_SPAN_ID;
import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_TRACE_ID;
import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_VALID;

import io.opentelemetry.api.trace.SpanContext;
import java.lang.invoke.MethodHandles;
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
 * <p>Written only by its owner thread, or by a virtual thread mounted on it (the owner is then not
 * running): never concurrently.
 */
final class ThreadSlot extends WeakReference<Thread> {

  /** The ids in W3C byte order: the first hex digits of the id land in the lowest address. */
  private static final VarHandle ID =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

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

  // Two-entry cache: span context (by identity) -> its ids. `recentIsA` names the entry used last.
  private SpanContext contextA;
  private long traceHighA;
  private long traceLowA;
  private long spanA;
  private SpanContext contextB;
  private long traceHighB;
  private long traceLowB;
  private long spanB;
  private boolean recentIsA;

  /** The owner's own current span context (null: none); what a carrier gets back on unmount. */
  SpanContext own;

  ThreadSlot(Thread owner, ByteBuffer region, int offset, int tid) {
    super(owner);
    this.region = region;
    this.offset = offset;
    this.tid = tid;
  }

  /** Whether the owner thread is gone: the slot may be taken over. */
  boolean ownerGone() {
    Thread owner = get();
    return owner == null || !owner.isAlive();
  }

  /** Publishes {@code context} (null or invalid: no span) as this slot's record. */
  void write(SpanContext context) {
    int base = offset;
    if (context == null || !context.isValid()) {
      region.put(base + RECORD_VALID, (byte) 0);
      return;
    }
    long high;
    long low;
    long span;
    if (context == contextA) {
      high = traceHighA;
      low = traceLowA;
      span = spanA;
      recentIsA = true;
    } else if (context == contextB) {
      high = traceHighB;
      low = traceLowB;
      span = spanB;
      recentIsA = false;
    } else {
      String traceId = context.getTraceId();
      high = hex(traceId, 0);
      low = hex(traceId, 16);
      span = hex(context.getSpanId(), 0);
      if (recentIsA) {
        contextB = context;
        traceHighB = high;
        traceLowB = low;
        spanB = span;
      } else {
        contextA = context;
        traceHighA = high;
        traceLowA = low;
        spanA = span;
      }
      recentIsA = !recentIsA;
    }
    // valid = 0, trace_flags, attrs_data_size = 0 in one store, then the ids, then valid = 1.
    INT.set(region, base + RECORD_VALID, (context.getTraceFlags().asByte() & 0xff) << FLAGS_SHIFT);
    ID.set(region, base + RECORD_TRACE_ID, high);
    ID.set(region, base + RECORD_TRACE_ID + 8, low);
    ID.set(region, base + RECORD_SPAN_ID, span);
    VarHandle.releaseFence();
    region.put(base + RECORD_VALID, (byte) 1);
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
