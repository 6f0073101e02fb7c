package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import java.util.TimerTask;
import net.bytebuddy.asm.Advice;

/**
 * {@code Timer.sched}, where every {@code schedule}/{@code scheduleAtFixedRate} overload queues its
 * task: a one-shot task ({@code period == 0}) carries the scheduling code's context; a repeating
 * one never does (it would carry one request's trace forever), as with scheduled executors.
 */
public final class TimerScheduleAdvice {
  private TimerScheduleAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.Argument(0) TimerTask task, @Advice.Argument(2) long period) {
    if (period == 0) {
      TaskContexts.capture(task);
    }
  }
}
