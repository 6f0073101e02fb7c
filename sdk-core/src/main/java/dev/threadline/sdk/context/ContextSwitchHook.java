package dev.threadline.sdk.context;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import java.util.Objects;

/**
 * Installs the context-switch hook: an OpenTelemetry {@link ContextStorage} wrapper that calls
 * every registered {@link ContextSwitchListener} whenever a thread's current context changes
 * (attach, and restore on scope close). {@link ThreadContextPublisher} uses it to publish each
 * thread's trace context into memory the kernel bridge's BPF program reads.
 *
 * <p>OpenTelemetry applies storage wrappers once, when {@link ContextStorage} is first used, so
 * {@link #install()} must run before anything calls {@code Context.current()}, {@code
 * makeCurrent()} or creates a span: first thing in {@code main}, or in the javaagent's {@code
 * premain}. {@code install()} then initializes the storage itself, to find out whether it was in
 * time. Any other {@code ContextStorage.addWrapper} call and the {@code io.opentelemetry.context.*}
 * system properties must therefore come before it.
 *
 * <p>Called from a javaagent's {@code premain}, it hooks the OpenTelemetry classes the agent itself
 * links against (its relocated copy); an application's own OpenTelemetry must be bridged to that
 * copy to be observed.
 *
 * <p>When OpenTelemetry's own thread-local storage is the one in use (the usual case), the hook
 * takes its place instead of wrapping it ({@code PublishingContextStorage}, same semantics): a
 * switch then costs one thread-local lookup, as before, plus the listeners' work, and a registered
 * {@link ThreadContextPublisher} is called directly with the thread's slot. Any other storage is
 * wrapped; with no listener registered each attach then costs one extra volatile read.
 */
public final class ContextSwitchHook {

  private static final Object lock = new Object();

  private static boolean wrapperAdded; // guarded by lock

  // Set by the wrapper function, which OpenTelemetry calls only while initializing its storage. A
  // flag rather than "ContextStorage.get() instanceof HookedContextStorage": a wrapper added after
  // ours legitimately wraps it.
  private static volatile boolean installed;

  private ContextSwitchHook() {}

  /**
   * Installs the hook if it is not installed yet. Idempotent and thread-safe.
   *
   * @return {@code true} if the hook is installed; {@code false} if OpenTelemetry's context storage
   *     was already in use before the first call, in which case context switches cannot be observed
   *     in this JVM and the caller should log one warning (for example: "Threadline context-switch
   *     hook not installed: OpenTelemetry context was used before Threadline started; start
   *     Threadline earlier or use the javaagent")
   */
  public static boolean install() {
    if (installed) {
      return true;
    }
    synchronized (lock) {
      if (!wrapperAdded) {
        wrapperAdded = true;
        // Ignored by OpenTelemetry (logged at FINE only) when the storage is already initialized.
        ContextStorage.addWrapper(ContextSwitchHook::wrap);
      }
    }
    // First use initializes the storage, applying our wrapper if it was added in time; if the
    // storage was already initialized this is a plain read and the flag stays false. Outside the
    // lock: initialization runs user code (storage providers, other wrappers).
    ContextStorage.get();
    return installed;
  }

  /**
   * Returns whether the hook is installed (a successful {@link #install()} happened in this class
   * loader).
   */
  public static boolean isInstalled() {
    return installed;
  }

  /**
   * Registers {@code listener}; registering the same instance twice has no effect. May be called
   * before {@link #install()}; the listener is called only once the hook is installed.
   */
  public static void addListener(ContextSwitchListener listener) {
    ContextSwitchListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Unregisters {@code listener}: it is not called for context switches that begin after this
   * returns (a call already running on another thread may still complete).
   */
  public static void removeListener(ContextSwitchListener listener) {
    ContextSwitchListeners.remove(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Returns how many times a listener threw since the JVM started (each one was caught and
   * ignored).
   */
  public static long listenerFailureCount() {
    return ContextSwitchListeners.failureCount();
  }

  /**
   * Makes {@code context} current on this thread with no scope to close, for code that puts the
   * thread back into its earlier context itself (a pool worker around a task) and would only drop
   * the scope. The switch is reported like any attach. With the hook's own storage in place (see
   * above) this allocates nothing; with any other storage it is {@code
   * ContextStorage.get().attach(context)}. No-op for {@code null}.
   */
  public static void switchTo(Context context) {
    if (context == null) {
      return;
    }
    ContextStorage storage = ContextStorage.get();
    if (storage instanceof PublishingContextStorage) {
      ((PublishingContextStorage) storage).switchTo(context);
    } else {
      storage.attach(context);
    }
  }

  private static ContextStorage wrap(ContextStorage storage) {
    installed = true;
    // OpenTelemetry's own thread-local storage is replaced, so that a switch costs one lookup and
    // the thread's published slot travels with its context; any other storage is wrapped.
    if (PublishingContextStorage.isOpenTelemetryDefault(storage)) {
      ContextSwitchListeners.useDirectPublisher();
      return new PublishingContextStorage(storage);
    }
    return new HookedContextStorage(storage);
  }
}
