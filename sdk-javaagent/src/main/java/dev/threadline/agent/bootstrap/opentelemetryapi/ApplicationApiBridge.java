package dev.threadline.agent.bootstrap.opentelemetryapi;

import dev.threadline.agent.bootstrap.AgentLog;
import dev.threadline.agent.bootstrap.HelperClasses;
import dev.threadline.agent.bootstrap.Instrumentations;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Hands the advice in the application's OpenTelemetry API the bridge objects: the application's
 * {@code ContextStorage} backed by the agent's context, and the {@code OpenTelemetry} that {@code
 * GlobalOpenTelemetry.get()} returns, backed by the agent's tracer provider and propagators. Each
 * is made once per application API (the class the advice runs in) by a helper defined next to the
 * application's loader. Any failure switches the module off and the application's API goes on as it
 * was.
 */
public final class ApplicationApiBridge {
  /** The settings name of the module. */
  public static final String MODULE = "opentelemetry-api";

  private static final String HELPERS =
      "dev.threadline.agent.instrumentation.opentelemetryapi.helpers.";
  private static final Object FAILED = new Object();

  private static final ClassValue<Slot> storages =
      new ClassValue<>() {
        @Override
        protected Slot computeValue(Class<?> type) {
          return new Slot();
        }
      };
  private static final ClassValue<Slot> openTelemetries =
      new ClassValue<>() {
        @Override
        protected Slot computeValue(Class<?> type) {
          return new Slot();
        }
      };
  private static final AtomicBoolean setIgnoredLogged = new AtomicBoolean();

  private ApplicationApiBridge() {}

  /**
   * The bridged context storage to return from the application's {@code ContextStorage.get()}
   * instead of {@code original}; {@code original} itself while the bridge is off or being made.
   */
  public static Object contextStorage(Class<?> contextStorageType, Object original) {
    if (original == null || !Instrumentations.isEnabled(MODULE)) {
      return original;
    }
    Slot slot = storages.get(contextStorageType);
    Object bridged = slot.value;
    if (bridged == null) {
      bridged = slot.create(contextStorageType, "ContextStorageFactory", original);
    }
    return bridged == FAILED || bridged == null ? original : bridged;
  }

  /**
   * The bridged {@code OpenTelemetry} for the application's {@code GlobalOpenTelemetry} class
   * {@code globalType}, or {@code null} (the original method then runs) while the bridge is off.
   */
  public static Object openTelemetry(Class<?> globalType) {
    if (!Instrumentations.isEnabled(MODULE)) {
      return null;
    }
    Slot slot = openTelemetries.get(globalType);
    Object bridged = slot.value;
    if (bridged == null) {
      bridged = slot.create(globalType, "OpenTelemetryFactory", null);
    }
    return bridged == FAILED ? null : bridged;
  }

  /**
   * Whether a {@code GlobalOpenTelemetry.set} call is to be skipped: while the bridge is on, the
   * application's global stays the agent's. Said once in the log.
   */
  public static boolean ignoreGlobalSet() {
    if (!Instrumentations.isEnabled(MODULE)) {
      return false;
    }
    if (setIgnoredLogged.compareAndSet(false, true)) {
      AgentLog.info(
          "GlobalOpenTelemetry.set is ignored: the application's OpenTelemetry API is bridged to"
              + " the agent's");
    }
    return true;
  }

  /** One bridge object per application API class, made once. */
  private static final class Slot {
    volatile Object value;
    private Thread creator;

    @SuppressWarnings("unchecked")
    synchronized Object create(Class<?> apiType, String factory, Object argument) {
      if (value != null) {
        return value;
      }
      if (creator != null) {
        // Re-entered while the factory runs (it touches the application's API itself): the
        // original answers until the bridge is ready.
        return null;
      }
      creator = Thread.currentThread();
      try {
        Object instance = HelperClasses.newInstance(apiType.getClassLoader(), HELPERS + factory);
        value =
            argument == null
                ? ((Supplier<Object>) instance).get()
                : ((Function<Object, Object>) instance).apply(argument);
      } catch (Throwable t) {
        value = FAILED;
        Instrumentations.failed(MODULE, t);
      } finally {
        creator = null;
      }
      return value;
    }
  }
}
