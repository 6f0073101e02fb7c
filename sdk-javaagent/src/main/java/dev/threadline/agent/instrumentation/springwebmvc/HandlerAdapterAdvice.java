package dev.threadline.agent.instrumentation.springwebmvc;

import dev.threadline.agent.bootstrap.http.ServerSpans;
import dev.threadline.agent.bootstrap.springwebmvc.ControllerSpans;
import io.opentelemetry.context.Scope;
import jakarta.servlet.http.HttpServletRequest;
import net.bytebuddy.asm.Advice;
import org.springframework.web.method.HandlerMethod;

/**
 * Inlined into {@code AbstractHandlerMethodAdapter.handle}: route on the server span, a span per
 * controller call.
 */
public final class HandlerAdapterAdvice {
  private HandlerAdapterAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Scope enter(
      @Advice.Argument(0) HttpServletRequest request, @Advice.Argument(2) Object handler) {
    ServerSpans.setRoute(
        request.getAttribute(ServerSpans.REQUEST_ATTRIBUTE),
        request.getAttribute("org.springframework.web.servlet.HandlerMapping.bestMatchingPattern"));
    if (!(handler instanceof HandlerMethod)) {
      return null;
    }
    HandlerMethod method = (HandlerMethod) handler;
    return ControllerSpans.start(method.getBeanType(), method.getMethod().getName());
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Scope scope, @Advice.Thrown Throwable thrown) {
    ControllerSpans.end(scope, thrown);
  }
}
