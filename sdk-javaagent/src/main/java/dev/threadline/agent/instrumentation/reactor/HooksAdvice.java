package dev.threadline.agent.instrumentation.reactor;

import dev.threadline.agent.bootstrap.reactor.ReactorContexts;
import java.util.function.Function;
import net.bytebuddy.asm.Advice;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Hooks;

/** Inlined at the end of {@code Hooks}' static initialiser and of {@code resetOnEachOperator()}. */
public final class HooksAdvice {
  private HooksAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  @SuppressWarnings("unchecked")
  public static void exit() {
    Object hook = ReactorContexts.hook(Hooks.class);
    if (hook != null) {
      Hooks.onEachOperator(
          ReactorContexts.HOOK_KEY,
          (Function<? super Publisher<Object>, ? extends Publisher<Object>>) hook);
    }
  }
}
