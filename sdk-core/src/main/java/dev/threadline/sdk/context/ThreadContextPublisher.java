package dev.threadline.sdk.context;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Publishes each thread's current trace context into the thread-context region ({@link
 * ThreadContextLayout}), where the kernel bridge's BPF program reads it at each send and receive.
 *
 * <p>On every context switch the calling thread rewrites its own record: {@code valid = 0}, trace
 * id, span id, trace flags, a release fence, {@code valid = 1}; a context without a valid span only
 * clears {@code valid}. Unsampled spans are published too (their flags say so). A thread's first
 * switch claims its slot (a few syscalls: it reads {@code /proc/thread-self}); every later one is
 * plain memory stores, with no syscall and no allocation. A thread that finds no free slot is
 * counted in {@link #full()} and publishes nothing, without trying again.
 *
 * <p>Virtual threads publish nothing themselves: the kernel sees their carrier. The agent's mount
 * hooks hand the carrier's slot over with {@link #publishOnCarrier} and {@link #restoreCarrier}.
 */
public final class ThreadContextPublisher implements ContextSwitchListener {

  private static final Logger logger = Logger.getLogger("dev.threadline");

  /** {@code Thread.isVirtual()} (JDK 21+), or null on older JDKs. */
  private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

  private static final Object sharedLock = new Object();
  private static ThreadContextPublisher shared; // guarded by sharedLock

  private final ThreadContextRegion region; // null: publication is off
  private final Thread deleteAtExit;
  private final ThreadLocal<ThreadSlot> slots = ThreadLocal.withInitial(this::claimForCurrent);
  private final Map<Thread, ThreadSlot> carriers = new ConcurrentHashMap<>();
  private volatile Supplier<Thread> carrierLocator;

  private ThreadContextPublisher(ThreadContextRegion region) {
    this.region = region;
    if (region == null) {
      deleteAtExit = null;
    } else {
      deleteAtExit = new Thread(region::delete, "threadline-context-region");
      Runtime.getRuntime().addShutdownHook(deleteAtExit);
    }
  }

  /**
   * Creates this process's region in {@code directory} and returns its publisher. When the region
   * cannot be created or mapped, logs one warning naming the path and the reason and returns an
   * inactive publisher ({@link #isActive()} false), which publishes nothing.
   *
   * @param slotCount a power of two, at most {@link ThreadContextLayout#MAX_SLOTS}
   */
  public static ThreadContextPublisher open(Path directory, int slotCount) {
    if (slotCount <= 0
        || slotCount > ThreadContextLayout.MAX_SLOTS
        || Integer.bitCount(slotCount) != 1) {
      throw new IllegalArgumentException(
          "slot count must be a power of two up to " + ThreadContextLayout.MAX_SLOTS);
    }
    try {
      return new ThreadContextPublisher(ThreadContextRegion.create(directory, slotCount));
    } catch (IOException | RuntimeException e) {
      logger.warning(
          "Threadline: thread context is not published: the region "
              + directory.resolve(ThreadContextLayout.FILE_PREFIX + ProcessHandle.current().pid())
              + " (directory from threadline.context.region.dir / THREADLINE_CONTEXT_REGION_DIR)"
              + " could not be created: "
              + reason(e)
              + "; the application runs on without it");
      return new ThreadContextPublisher(null);
    }
  }

  /**
   * The process-wide publisher: opened on the first call, returned as it is (whatever the
   * arguments) on later ones, so one region serves every installation in this class loader.
   */
  public static ThreadContextPublisher openShared(Path directory, int slotCount) {
    synchronized (sharedLock) {
      if (shared == null) {
        shared = open(directory, slotCount);
      }
      return shared;
    }
  }

  /** The process-wide publisher, or {@code null} when none was opened. */
  public static ThreadContextPublisher shared() {
    synchronized (sharedLock) {
      return shared;
    }
  }

  /** Whether the region exists and this publisher writes it. */
  public boolean isActive() {
    return region != null;
  }

  /** The region file, or {@code null} when inactive. */
  public Path regionPath() {
    return region == null ? null : region.path;
  }

  /** Slots claimed since the region was created (threads come and go; each claims once). */
  public long claims() {
    return region == null ? 0 : region.claims();
  }

  /** Threads that found no free slot and publish nothing. */
  public long full() {
    return region == null ? 0 : region.full();
  }

  @Override
  public void onContextSwitch(Context current) {
    if (region == null) {
      return;
    }
    publish(slots.get(), current);
  }

  /** The calling thread's slot (claimed on first use), for a storage that keeps it per thread. */
  ThreadSlot slotOfCurrentThread() {
    return region == null ? ThreadSlot.NONE : slots.get();
  }

  /** Writes {@code current} into {@code slot}, the calling thread's. */
  void publish(ThreadSlot slot, Context current) {
    if (slot.offset < 0) {
      if (slot == ThreadSlot.VIRTUAL) {
        Supplier<Thread> locator = carrierLocator;
        Thread carrier = locator == null ? null : locator.get();
        if (carrier != null) {
          publishOnCarrier(carrier, current);
        }
      }
      return;
    }
    SpanContext context = spanContext(current);
    slot.own = context;
    slot.write(context);
  }

  /**
   * Tells the publisher how to find the carrier a virtual thread is mounted on (the agent knows it
   * from its mount hook), so that a context switch on a mounted virtual thread goes into the
   * carrier's slot. Without one (library mode), virtual threads publish nothing.
   */
  public void setCarrierLocator(Supplier<Thread> carrierOfCurrentVirtualThread) {
    this.carrierLocator = carrierOfCurrentVirtualThread;
  }

  /**
   * Puts {@code context} into {@code carrier}'s slot: called by the agent when a virtual thread
   * mounts, from that virtual thread, so that the kernel, which sees only the carrier, sees the
   * virtual thread's trace context. The carrier's own context is kept for {@link #restoreCarrier}.
   */
  public void publishOnCarrier(Thread carrier, Context context) {
    ThreadSlot slot = carrierSlot(carrier);
    if (slot != null) {
      slot.write(spanContext(context));
    }
  }

  /**
   * Gives {@code carrier}'s slot back its own context (the one it last published itself): called by
   * the agent when a virtual thread unmounts, from that virtual thread.
   */
  public void restoreCarrier(Thread carrier) {
    ThreadSlot slot = carrierSlot(carrier);
    if (slot != null) {
      slot.write(slot.own);
    }
  }

  /**
   * Stops the shutdown hook and removes the region file now. Threads keep writing the still mapped
   * memory until the listener is removed; the bridge no longer finds the region.
   */
  public void close() {
    if (region != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(deleteAtExit);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook deletes the file.
      }
      region.delete();
    }
  }

  private static SpanContext spanContext(Context context) {
    Span span = context == null ? null : Span.fromContextOrNull(context);
    return span == null ? null : span.getSpanContext();
  }

  private ThreadSlot carrierSlot(Thread carrier) {
    if (region == null) {
      return null;
    }
    Thread current = Thread.currentThread();
    if (current == carrier) {
      ThreadSlot own = slots.get();
      return own.offset < 0 ? null : own;
    }
    ThreadSlot slot = carriers.get(carrier);
    if (slot == null && isVirtual(current)) {
      // Mounted on `carrier`: /proc/thread-self is the carrier's OS thread.
      slot = claim(carrier);
      if (slot != null) {
        carriers.keySet().removeIf(thread -> !thread.isAlive());
        carriers.put(carrier, slot);
      }
    }
    return slot == null || slot.offset < 0 ? null : slot;
  }

  private ThreadSlot claimForCurrent() {
    Thread current = Thread.currentThread();
    if (isVirtual(current)) {
      return ThreadSlot.VIRTUAL;
    }
    ThreadSlot slot = claim(current);
    return slot == null ? ThreadSlot.NONE : slot;
  }

  /**
   * Claims a slot for {@code owner}, the thread whose OS thread runs the caller.
   *
   * @return the slot, {@link ThreadSlot#NONE} when there is no free one, or {@code null} when the
   *     OS thread could not be identified (worth trying again on a carrier's next mount)
   */
  private ThreadSlot claim(Thread owner) {
    try {
      OsThread os = OsThread.current();
      if (owner != Thread.currentThread() && OsThread.tid() != os.tid) {
        return null; // the virtual thread moved to another carrier while reading
      }
      ThreadSlot slot = region.claim(owner, os);
      return slot == null ? ThreadSlot.NONE : slot;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static boolean isVirtual(Thread thread) {
    if (IS_VIRTUAL == null) {
      return false;
    }
    try {
      return (boolean) IS_VIRTUAL.invokeExact(thread);
    } catch (Throwable t) {
      return false;
    }
  }

  private static MethodHandle isVirtualHandle() {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    String kind = e.getClass().getSimpleName();
    return message == null ? kind : kind + " (" + message + ")";
  }
}
