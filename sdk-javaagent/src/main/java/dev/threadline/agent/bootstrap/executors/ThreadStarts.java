package dev.threadline.agent.bootstrap.executors;

import io.opentelemetry.context.Context;
import java.util.Optional;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Which {@code Thread.start} calls hand the starting code's context to the new thread. Not those of
 * threads that serve everyone for as long as they live: the workers a pool starts for itself
 * (ThreadPoolExecutor, ForkJoin), the JDK's own threads ({@code Timer}, cleaners, HTTP client
 * selectors), and threads servers, connection pools and logging frameworks start (Tomcat, Netty,
 * Reactor, HikariCP, Logback, Log4j2), told by the thread's class or by the class calling {@code
 * start}.
 */
public final class ThreadStarts {
  private static final StackWalker WALKER = StackWalker.getInstance();

  private static final String[] FRAMEWORKS = {
    "java.",
    "javax.",
    "jdk.",
    "sun.",
    "com.sun.",
    "org.apache.tomcat.",
    "org.apache.catalina.",
    "org.apache.coyote.",
    "io.netty.",
    "reactor.",
    "com.zaxxer.hikari.",
    "ch.qos.logback.",
    "org.apache.logging.log4j.",
  };

  private ThreadStarts() {}

  /** From {@code Thread.start}: remembers the current context for {@code thread}, if it may. */
  public static void capture(Thread thread) {
    if (Context.current() == Context.root()
        || thread instanceof ForkJoinWorkerThread
        || WorkerTasks.startingPoolWorker()) {
      return;
    }
    String type = thread.getClass().getName();
    if (!type.equals("java.lang.Thread") && isFramework(type)) {
      return;
    }
    if (isFramework(starter())) {
      return;
    }
    TaskContexts.capture(thread);
  }

  /** The class that called {@code Thread.start} (past Thread and its JDK 21+ builders). */
  private static String starter() {
    Optional<String> caller =
        WALKER.walk(
            frames ->
                frames
                    .map(StackWalker.StackFrame::getClassName)
                    .filter(
                        name ->
                            !name.startsWith("dev.threadline.agent.bootstrap.")
                                && !name.equals("java.lang.Thread")
                                && !name.startsWith("java.lang.ThreadBuilders"))
                    .findFirst());
    return caller.orElse("");
  }

  /** Whether {@code className} belongs to the JDK or a server/pool/logging framework. */
  static boolean isFramework(String className) {
    for (String prefix : FRAMEWORKS) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
