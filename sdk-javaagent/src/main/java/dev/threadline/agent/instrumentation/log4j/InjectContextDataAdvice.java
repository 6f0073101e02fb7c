package dev.threadline.agent.instrumentation.log4j;

import dev.threadline.agent.bootstrap.logs.TraceIds;
import net.bytebuddy.asm.Advice;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.apache.logging.log4j.util.StringMap;

/**
 * {@code ContextDataInjector.injectContextData(properties, reusable)}: the current span's ids are
 * put into the returned map when it is the event's own ({@code reusable}, not frozen); a map the
 * injector shares (the thread-context map's frozen copy, returned as is when there are no
 * properties) is never changed: a copy with the ids is returned instead.
 */
public final class InjectContextDataAdvice {
  private InjectContextDataAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(
      @Advice.Argument(1) StringMap reusable, @Advice.Return(readOnly = false) StringMap result) {
    if (result == null || result.containsKey(TraceIds.TRACE_ID)) {
      return;
    }
    String[] ids = TraceIds.current(Log4jContextDataInstrumentation.NAME);
    if (ids == null) {
      return;
    }
    StringMap target =
        result == reusable && !result.isFrozen() ? result : new SortedArrayStringMap(result);
    target.putValue(TraceIds.TRACE_ID, ids[0]);
    target.putValue(TraceIds.SPAN_ID, ids[1]);
    target.putValue(TraceIds.TRACE_FLAGS, ids[2]);
    result = target;
  }
}
