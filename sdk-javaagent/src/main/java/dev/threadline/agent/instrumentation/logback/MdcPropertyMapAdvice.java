package dev.threadline.agent.instrumentation.logback;

import dev.threadline.agent.bootstrap.logs.TraceIds;
import java.util.Map;
import net.bytebuddy.asm.Advice;

/**
 * {@code LoggingEvent.getMDCPropertyMap}: on the call that fills the event's map (its field is
 * still {@code null}), the map Logback took from the thread's MDC (shared, read-only) is replaced,
 * in the field and as the result, by a copy with {@code trace_id}, {@code span_id}, {@code
 * trace_flags}. A map set on the event beforehand ({@code setMDCPropertyMap}) is left alone.
 */
public final class MdcPropertyMapAdvice {
  private MdcPropertyMapAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static boolean enter(@Advice.FieldValue("mdcPropertyMap") Map<String, String> map) {
    return map == null;
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(
      @Advice.Enter boolean filling,
      @Advice.Return(readOnly = false) Map<String, String> result,
      @Advice.FieldValue(value = "mdcPropertyMap", readOnly = false) Map<String, String> field) {
    if (filling) {
      Map<String, String> withIds = TraceIds.withIds(result, LogbackMdcInstrumentation.NAME);
      if (withIds != null) {
        field = withIds;
        result = withIds;
      }
    }
  }
}
