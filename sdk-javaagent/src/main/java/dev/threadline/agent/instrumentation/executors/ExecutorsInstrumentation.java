package dev.threadline.agent.instrumentation.executors;

import static dev.threadline.agent.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.declaresField;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InstrumentationModule;
import dev.threadline.agent.bootstrap.executors.TaskContexts;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RunnableScheduledFuture;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Context propagation wherever a task changes threads: the JDK's ThreadPoolExecutor (and
 * subclasses), ScheduledThreadPoolExecutor (one-shot tasks only), ForkJoinPool and ForkJoinTask
 * (parallel streams), CompletableFuture stages (async and synchronous), virtual threads, {@code
 * java.util.Timer} (one-shot tasks only), and any other {@code Executor}.
 */
public final class ExecutorsInstrumentation implements InstrumentationModule {
  private static final String TPE = "java.util.concurrent.ThreadPoolExecutor";
  private static final String FJP = "java.util.concurrent.ForkJoinPool";

  @Override
  public String name() {
    return TaskContexts.INSTRUMENTATION;
  }

  /** The JDK's executors, ForkJoin and CompletableFuture, and JDK 21+ virtual threads. */
  @Override
  public boolean instrumentsJdkType(String className) {
    return className.startsWith("java.util.concurrent.")
        || className.equals("java.lang.VirtualThread")
        || className.equals("java.util.Timer")
        || className.equals("java.util.TimerTask");
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
    loadJdkTypes();
    return builder
        .type(support.types(name(), named(TPE)))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("execute").and(takesArguments(Runnable.class)),
                    ExecuteAdvice.class.getName()))
        .assureReadEdgeTo(support.instrumentation(), TaskContexts.class)
        // beforeExecute/afterExecute of the JDK class and of every override, so the application's
        // own hooks keep receiving their own Runnable and an override without super.beforeExecute
        // still propagates.
        .type(support.types(name(), named(TPE).or(hasSuperTypeNamed(TPE).and(not(isInterface())))))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("beforeExecute")
                        .and(takesArguments(Thread.class, Runnable.class))
                        .and(not(isAbstract())),
                    BeforeExecuteAdvice.class.getName()))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("afterExecute")
                        .and(takesArguments(Runnable.class, Throwable.class))
                        .and(not(isAbstract())),
                    AfterExecuteAdvice.class.getName()))
        .assureReadEdgeTo(support.instrumentation(), TaskContexts.class)
        .type(support.types(name(), named("java.util.concurrent.ScheduledThreadPoolExecutor")))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("delayedExecute").and(takesArguments(RunnableScheduledFuture.class)),
                    DelayedExecuteAdvice.class.getName()))
        .assureReadEdgeTo(support.instrumentation(), TaskContexts.class)
        .type(support.types(name(), named("java.util.concurrent.FutureTask")))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("cancel").and(takesArguments(boolean.class)),
                    CancelAdvice.class.getName()))
        .assureReadEdgeTo(support.instrumentation(), TaskContexts.class)
        .type(support.types(name(), named(FJP)))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    namedOneOf("execute", "submit", "invoke")
                        .and(isPublic())
                        .and(takesArgument(0, ForkJoinTask.class)),
                    PoolTaskAdvice.class.getName()))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    namedOneOf("execute", "submit")
                        .and(isPublic())
                        .and(takesArgument(0, Runnable.class)),
                    PoolRunnableAdvice.class.getName()))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("submit").and(isPublic()).and(takesArgument(0, Callable.class)),
                    PoolCallableAdvice.class.getName()))
        .assureReadEdgeTo(support.instrumentation(), TaskContexts.class)
        .type(support.types(name(), named("java.util.concurrent.ForkJoinTask")))
        .transform(
            support
                .forAdvice(name())
                .advice(named("fork").and(takesArguments(0)), ForkAdvice.class.getName()))
        .transform(
            support
                .forAdvice(name())
                .advice(named("doExec").and(takesArguments(0)), RunOnceAdvice.class.getName()))
        .assureReadEdgeTo(support.instrumentation(), TaskContexts.class)
        // The completions that run application code. Left out: those without the field the JDK
        // clears once a completion fired (TryFireAdvice), Signaller (wakes a thread blocked in
        // get/join) and CoCompletion (tries its base completion, which carries its own context);
        // and AnyOf, which only relays a result (the loser of each race would keep its context
        // until collected).
        .type(
            support.types(
                name(),
                not(isAbstract())
                    .and(hasSuperTypeNamed("java.util.concurrent.CompletableFuture$Completion"))
                    .and(hasSuperType(declaresField(named("dep"))))
                    .and(not(named("java.util.concurrent.CompletableFuture$AnyOf")))))
        .transform(
            support.forAdvice(name()).advice(isConstructor(), CaptureThisAdvice.class.getName()))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("tryFire").and(takesArguments(int.class)), TryFireAdvice.class.getName()))
        .assureReadEdgeTo(support.instrumentation(), TaskContexts.class)
        // JDK 21+: a virtual thread starts in its creator's context (Thread.ofVirtual(), per-task
        // executors).
        .type(support.types(name(), named("java.lang.VirtualThread")))
        .transform(
            support
                .forAdvice(name())
                .advice(named("start"), VirtualThreadStartAdvice.class.getName()))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("run").and(takesArguments(Runnable.class)),
                    RunOnceAdvice.class.getName()))
        // The kernel sees the carrier: while mounted, the carrier publishes the virtual thread's
        // context (VirtualThreadCarriers), and its own again at unmount.
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("mount").and(takesArguments(0)),
                    VirtualThreadMountAdvice.class.getName()))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("unmount").and(takesArguments(0)),
                    VirtualThreadUnmountAdvice.class.getName()))
        .assureReadEdgeTo(support.instrumentation(), TaskContexts.class)
        // java.util.Timer: every schedule overload goes through sched(task, time, period); the
        // task's own run() (an application subclass) attaches what was captured.
        .type(support.types(name(), named("java.util.Timer")))
        .transform(
            support
                .forAdvice(name())
                .advice(named("sched").and(takesArguments(3)), TimerScheduleAdvice.class.getName()))
        .assureReadEdgeTo(support.instrumentation(), TaskContexts.class)
        .type(support.types(name(), named("java.util.TimerTask")))
        .transform(
            support
                .forAdvice(name())
                .advice(named("cancel").and(takesArguments(0)), CancelAdvice.class.getName()))
        .assureReadEdgeTo(support.instrumentation(), TaskContexts.class)
        .type(
            support.types(
                name(),
                not(isAbstract())
                    .and(not(nameStartsWith("java.")))
                    .and(hasSuperTypeNamed("java.util.TimerTask"))))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("run").and(takesArguments(0)).and(not(isAbstract())),
                    RunOnceAdvice.class.getName()))
        .type(support.types(name(), applicationExecutors()))
        // Any execute(Runnable, ...): Spring's SimpleAsyncTaskExecutor.submit goes through
        // execute(Runnable, long).
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("execute").and(takesArgument(0, Runnable.class)).and(not(isAbstract())),
                    WrapRunnableAdvice.class.getName()));
  }

  /**
   * Loads the instrumented JDK classes and their nested classes before the agent is installed. A
   * class loaded for the first time while ByteBuddy is transforming another one (the SDK itself
   * uses ForkJoinPool and CompletableFuture) is skipped by ByteBuddy's circularity guard and never
   * transformed; one already loaded is retransformed at installation.
   */
  private static void loadJdkTypes() {
    Class<?>[] types = {
      java.util.concurrent.ThreadPoolExecutor.class,
      java.util.concurrent.ScheduledThreadPoolExecutor.class,
      java.util.concurrent.FutureTask.class,
      java.util.concurrent.ForkJoinPool.class,
      ForkJoinTask.class,
      java.util.concurrent.CompletableFuture.class,
      java.util.Timer.class,
      java.util.TimerTask.class,
    };
    for (Class<?> type : types) {
      type.getDeclaredClasses();
    }
    try {
      Class.forName("java.lang.VirtualThread");
    } catch (ClassNotFoundException beforeJdk21) {
      // No virtual threads to instrument.
    }
  }

  /**
   * Executors that are not the JDK's pools: the application's, and libraries' such as Spring's
   * SimpleAsyncTaskExecutor. Left out: subclasses of the instrumented pools (handled above, without
   * wrapping), Spring's pool-backed executors (their JDK pool propagates), and servers' and
   * connection pools' own executors, whose tasks belong to no request.
   */
  private static ElementMatcher.Junction<TypeDescription> applicationExecutors() {
    // CompletableFuture's fallback executor (a thread per task, used when the common pool has
    // parallelism 1, as on two cores) is the one JDK executor that runs tasks on plain new threads.
    return named("java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor")
        .or(
            not(isInterface())
                .and(not(nameStartsWith("java.")))
                .and(not(nameStartsWith("jdk.")))
                .and(not(nameStartsWith("sun.")))
                .and(not(nameStartsWith("com.sun.")))
                .and(not(nameStartsWith("org.apache.tomcat.")))
                .and(not(nameStartsWith("org.apache.catalina.")))
                .and(not(nameStartsWith("org.apache.coyote.")))
                .and(not(nameStartsWith("com.zaxxer.hikari.")))
                .and(not(nameStartsWith("io.netty.")))
                .and(not(nameStartsWith("org.springframework.scheduling.concurrent.")))
                .and(hasSuperTypeNamed("java.util.concurrent.Executor"))
                .and(not(hasSuperTypeNamed(TPE)))
                .and(not(hasSuperTypeNamed(FJP))));
  }
}
