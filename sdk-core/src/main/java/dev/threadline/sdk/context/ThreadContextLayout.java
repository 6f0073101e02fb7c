package dev.threadline.sdk.context;

/**
 * The byte layout of the thread-context region; mirrors
 * sdk-ebpf-bridge/src/main/bpf/thread_context.h number for number (the bridge checks these
 * constants against that header).
 *
 * <p>The region is one file, {@code /dev/shm/threadline-ctx.<pid>}, of {@link #HEADER_SIZE} + slot
 * count × {@link #SLOT_SIZE} bytes, native byte order. Offsets named {@code HEADER_*} are from the
 * start of the region; offsets named {@code SLOT_*} and {@code RECORD_*} are absolute offsets
 * within one slot. The trace and span ids are stored as their W3C bytes (the hex id read two digits
 * per byte, first byte first), as OpenTelemetry's thread-context record (OTEP 4947) stores them.
 */
public final class ThreadContextLayout {

  /** {@code TL_CTX_MAGIC}: "TTLNLCTX" read as a little-endian u64; written last. */
  public static final long MAGIC = 0x5854434c4e4c5454L;

  /** {@code TL_CTX_VERSION}. */
  public static final int VERSION = 1;

  /** {@code TL_CTX_HEADER_SIZE}. */
  public static final int HEADER_SIZE = 64;

  /** {@code TL_CTX_SLOT_SIZE}. */
  public static final int SLOT_SIZE = 64;

  /** {@code TL_CTX_PROBES}: slots tried from {@code tid & (slot_count - 1)}. */
  public static final int PROBES = 4;

  /** {@code TL_CTX_MAX_SLOTS}. */
  public static final int MAX_SLOTS = 65536;

  /** {@code TL_CTX_NS_PER_TICK}: nanoseconds per unit of {@code owner_start} (USER_HZ = 100). */
  public static final long NS_PER_TICK = 10_000_000L;

  /** Header field {@code magic}, u64. */
  public static final int HEADER_MAGIC = 0;

  /** Header field {@code version}, u32. */
  public static final int HEADER_VERSION = 8;

  /** Header field {@code slot_size}, u32. */
  public static final int HEADER_SLOT_SIZE = 12;

  /** Header field {@code slot_count}, u32. */
  public static final int HEADER_SLOT_COUNT = 16;

  /** Header field {@code tgid}, u32: the process that owns the region. */
  public static final int HEADER_TGID = 20;

  /** Header field {@code claims}, u64: slots claimed since start. */
  public static final int HEADER_CLAIMS = 24;

  /** Header field {@code full}, u64: threads that found no free slot among their probes. */
  public static final int HEADER_FULL = 32;

  /** Slot field {@code owner_tid}, u32; 0 when the slot is free. */
  public static final int SLOT_OWNER_TID = 0;

  /** Slot field {@code owner_start}, u64: the owner's start time in clock ticks since boot. */
  public static final int SLOT_OWNER_START = 8;

  /** Slot field {@code record}: the 28-byte OTEP 4947 record header. */
  public static final int SLOT_RECORD = 16;

  /** Size of the record header. */
  public static final int RECORD_SIZE = 28;

  /** Record field {@code trace_id[16]}, absolute offset within the slot. */
  public static final int RECORD_TRACE_ID = 16;

  /** Record field {@code span_id[8]}, absolute offset within the slot. */
  public static final int RECORD_SPAN_ID = 32;

  /**
   * Record field {@code valid}, u8, absolute offset within the slot: 1 when the ids are current.
   */
  public static final int RECORD_VALID = 40;

  /** Record field {@code trace_flags}, u8, absolute offset within the slot. */
  public static final int RECORD_TRACE_FLAGS = 41;

  /** Record field {@code attrs_data_size}, u16, absolute offset within the slot; always 0. */
  public static final int RECORD_ATTRS_DATA_SIZE = 42;

  /** The region file's name without the process id: {@code threadline-ctx.<pid>}. */
  public static final String FILE_PREFIX = "threadline-ctx.";

  private ThreadContextLayout() {}
}
