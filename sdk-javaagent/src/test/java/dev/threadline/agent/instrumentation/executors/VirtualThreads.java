package dev.threadline.agent.instrumentation.executors;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** JDK 21+ patterns, called through reflection so that the scenario still compiles for Java 17. */
final class VirtualThreads {
  private VirtualThreads() {}

  static void run(Handoffs h) throws Exception {
    h.request(
        "vthread-start",
        () -> {
          Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
          Method start =
              Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
          Thread thread =
              (Thread) start.invoke(builder, (Runnable) () -> h.httpCall("vthread-start"));
          thread.join();
        });
    h.table("vthread-executor");
    h.request(
        "vthread-executor",
        () -> {
          ExecutorService executor =
              (ExecutorService)
                  Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
          try {
            executor.submit(() -> h.jdbcCall("vthread-executor")).get(20, TimeUnit.SECONDS);
          } finally {
            executor.shutdown();
          }
        });
  }
}
