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

  /**
   * Called from the advice inlined into {@code Thread.start}, its {@code getCallerClass()} names
   * the class that called {@code start}: a short walk that builds no stack frame objects, where
   * {@link #capture(Thread)} walks and filters a stream of them.
   */
  public static final StackWalker CALLERS =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

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

  /**
   * Remembers the current context for {@code thread}, if it may, telling the class that starts it
   * by a stack walk: {@link #mayInherit} and {@link #capture(Thread, Class)} with no known caller.
   */
  public static void capture(Thread thread) {
    if (mayInherit(thread)) {
      capture(thread, null);
    }
  }

  /**
   * Whether {@code thread} may start in the current context, as far as the thread itself tells:
   * there is a context, and the thread is neither a pool's worker nor a framework's own thread. The
   * class that starts it decides the rest ({@link #capture(Thread, Class)}).
   */
  public static boolean mayInherit(Thread thread) {
    if (Context.current() == Context.root()
        || thread instanceof ForkJoinWorkerThread
        || WorkerTasks.startingPoolWorker()) {
      return false;
    }
    String type = thread.getClass().getName();
    return type.equals("java.lang.Thread") || !isFramework(type);
  }

  /**
   * After {@link #mayInherit}: remembers the current context for {@code thread} unless {@code
   * caller}, the class that called {@code start}, is a framework's. A caller that only passes the
   * call on ({@code Thread} itself, the JDK 21+ thread builders, the agent's helpers) is looked
   * past with a stack walk.
   */
  public static void capture(Thread thread, Class<?> caller) {
    String name = caller == null ? null : caller.getName();
    if (name == null || passesStartOn(name)) {
      name = starter();
    }
    if (!isFramework(name)) {
      TaskContexts.capture(thread);
    }
  }

  /** The class that called {@code Thread.start} (past Thread and its JDK 21+ builders). */
  private static String starter() {
    Optional<String> caller =
        WALKER.walk(
            frames ->
                frames
                    .map(StackWalker.StackFrame::getClassName)
                    .filter(name -> !passesStartOn(name))
                    .findFirst());
    return caller.orElse("");
  }

  private static boolean passesStartOn(String className) {
    return className.startsWith("dev.threadline.agent.bootstrap.")
        || className.equals("java.lang.Thread")
        || className.startsWith("java.lang.ThreadBuilders");
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
