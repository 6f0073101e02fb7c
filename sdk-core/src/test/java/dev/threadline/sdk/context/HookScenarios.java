package dev.threadline.sdk.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Checks of the context-switch hook, written as plain static methods so that they run either inside
 * the test JVM (when the hook could be installed there) or in a fresh JVM through {@link
 * HookScenarioMain}. Each assumes the hook is installed and cleans up its listeners.
 */
@SuppressWarnings("try") // try (Scope ignored = ...) is the idiom
final class HookScenarios {

  private HookScenarios() {}

  static void run(String name) throws Exception {
    switch (name) {
      case "nestedScopesReportAttachAndRestoreInOrder":
        nestedScopesReportAttachAndRestoreInOrder();
        break;
      case "removedListenerIsNotCalled":
        removedListenerIsNotCalled();
        break;
      case "throwingListenerDoesNotBreakMakeCurrent":
        throwingListenerDoesNotBreakMakeCurrent();
        break;
      case "noListenerMeansTheDelegateScope":
        noListenerMeansTheDelegateScope();
        break;
      case "workerThreadSwitchesAreReported":
        workerThreadSwitchesAreReported();
        break;
      case "installIsIdempotent":
        installIsIdempotent();
        break;
      default:
        throw new IllegalArgumentException("unknown scenario " + name);
    }
  }

  static void nestedScopesReportAttachAndRestoreInOrder() {
    Context base = Context.current();
    Context a = TestContexts.withSpan("a1");
    Context b = TestContexts.withSpan("b2");
    Recorder recorder = new Recorder();
    ContextSwitchHook.addListener(recorder);
    try {
      try (Scope outer = a.makeCurrent()) {
        try (Scope inner = b.makeCurrent()) {
          try (Scope same = b.makeCurrent()) {
            // Attaching the context that is already current is no switch, and neither is closing
            // it.
          }
        }
      }
    } finally {
      ContextSwitchHook.removeListener(recorder);
    }
    assertThat(recorder.seen).containsExactly(a, b, a, base);
  }

  static void removedListenerIsNotCalled() {
    Context a = TestContexts.withSpan("a1");
    Context b = TestContexts.withSpan("b2");
    Recorder recorder = new Recorder();
    ContextSwitchHook.addListener(recorder);
    ContextSwitchHook.addListener(
        recorder); // a second registration of the same listener is ignored
    try (Scope outer = a.makeCurrent()) {
      ContextSwitchHook.removeListener(recorder);
      try (Scope inner = b.makeCurrent()) {
        assertThat(Context.current()).isSameAs(b);
      }
    }
    assertThat(recorder.seen).containsExactly(a);
  }

  static void throwingListenerDoesNotBreakMakeCurrent() {
    Context base = Context.current();
    Context a = TestContexts.withSpan("a1");
    long failuresBefore = ContextSwitchHook.listenerFailureCount();
    ContextSwitchListener thrower =
        current -> {
          throw new IllegalStateException("listener failure (expected by the test)");
        };
    Recorder recorder = new Recorder();
    ContextSwitchHook.addListener(thrower);
    ContextSwitchHook.addListener(recorder);
    try {
      try (Scope scope = a.makeCurrent()) {
        assertThat(Context.current()).isSameAs(a);
      }
      assertThat(Context.current()).isSameAs(base);
    } finally {
      ContextSwitchHook.removeListener(thrower);
      ContextSwitchHook.removeListener(recorder);
    }
    assertThat(recorder.seen)
        .as("listeners after the failing one still run")
        .containsExactly(a, base);
    assertThat(ContextSwitchHook.listenerFailureCount() - failuresBefore).isEqualTo(2);
  }

  static void noListenerMeansTheDelegateScope() {
    Context a = TestContexts.withSpan("a1");
    assertThat(ContextSwitchListeners.get()).isNull();
    try (Scope scope = ContextStorage.get().attach(a)) {
      assertThat(scope.getClass().getEnclosingClass()).isNotEqualTo(HookedContextStorage.class);
      assertThat(Context.current()).isSameAs(a);
    }
  }

  static void workerThreadSwitchesAreReported() throws Exception {
    Context a = TestContexts.withSpan("a1");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Thread worker = pool.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
      Recorder recorder = new Recorder(worker);
      ContextSwitchHook.addListener(recorder);
      try (Scope scope = a.makeCurrent()) {
        ContextExecutors.wrap(pool).submit(() -> {}).get(10, TimeUnit.SECONDS);
      } finally {
        ContextSwitchHook.removeListener(recorder);
      }
      assertThat(recorder.seen).containsExactly(a, Context.root());
    } finally {
      pool.shutdownNow();
    }
  }

  static void installIsIdempotent() {
    assertThat(ContextSwitchHook.install()).isTrue();
    assertThat(ContextSwitchHook.install()).isTrue();
    assertThat(ContextSwitchHook.isInstalled()).isTrue();
    assertThat(ContextStorage.get()).isInstanceOf(HookedContextStorage.class);
  }

  /**
   * Only meaningful in a fresh JVM: the storage is used before install(), which must then report
   * failure.
   */
  static void tooLateInstallIsDetected() {
    assertThat(Context.current()).isSameAs(Context.root()); // first use of ContextStorage
    assertThat(ContextSwitchHook.install()).isFalse();
    assertThat(ContextSwitchHook.install()).isFalse();
    assertThat(ContextSwitchHook.isInstalled()).isFalse();
    assertThat(ContextStorage.get()).isNotInstanceOf(HookedContextStorage.class);
  }

  /**
   * Records the contexts reported on one thread (the hook is JVM-wide; other threads may switch
   * too).
   */
  static final class Recorder implements ContextSwitchListener {
    final List<Context> seen = new CopyOnWriteArrayList<>();
    private final Thread thread;

    Recorder() {
      this(Thread.currentThread());
    }

    Recorder(Thread thread) {
      this.thread = thread;
    }

    @Override
    public void onContextSwitch(Context current) {
      if (Thread.currentThread() == thread) {
        seen.add(current);
      }
    }
  }
}
