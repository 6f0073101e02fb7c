package dev.threadline.agent.bootstrap.executors;

/**
 * Which carrier each mounted virtual thread runs on, told by the mount hooks on {@code
 * java.lang.VirtualThread}, and handed to whoever publishes thread context for the kernel: the
 * kernel sees only the carrier's OS thread, so a mounted virtual thread's context must go into the
 * carrier's slot, and the carrier's own come back when it unmounts.
 */
public final class VirtualThreadCarriers {
  /** What to do at mount and unmount; set once by the agent when thread context is published. */
  public interface Listener {
    /** {@code carrier} now runs the calling virtual thread. */
    void mounted(Thread carrier);

    /** The calling virtual thread leaves {@code carrier}. */
    void unmounting(Thread carrier);
  }

  // The virtual thread's own value: the carrier it is mounted on now.
  private static final ThreadLocal<Thread> mountedOn = new ThreadLocal<>();
  private static volatile Listener listener;

  private VirtualThreadCarriers() {}

  public static void setListener(Listener value) {
    listener = value;
  }

  /** The carrier the calling virtual thread is mounted on, or null (not virtual, or not known). */
  public static Thread carrierOfCurrent() {
    return mountedOn.get();
  }

  /** From the mount hook, on the virtual thread that was just mounted. */
  public static void mounted(Thread carrier) {
    Listener current = listener;
    if (current != null && carrier != null) {
      mountedOn.set(carrier);
      current.mounted(carrier);
    }
  }

  /** From the unmount hook, on the virtual thread about to leave its carrier. */
  public static void unmounting(Thread carrier) {
    Listener current = listener;
    if (current != null && carrier != null) {
      current.unmounting(carrier);
      mountedOn.remove();
    }
  }
}
