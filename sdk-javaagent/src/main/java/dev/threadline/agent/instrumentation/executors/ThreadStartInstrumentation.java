package dev.threadline.agent.instrumentation.executors;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InstrumentationModule;
import dev.threadline.agent.bootstrap.executors.TaskContexts;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * {@code new Thread(r).start()} runs {@code r} in the starting code's context (on by default;
 * {@code threadline.instrumentation.thread-start.enabled=false} turns it off). Threads that outlive
 * the request that happened to start them and serve everyone never inherit a context: the workers
 * pools start for themselves, the JDK's own threads, and servers', connection pools' and logging
 * frameworks' threads ({@link dev.threadline.agent.bootstrap.executors.ThreadStarts}).
 */
public final class ThreadStartInstrumentation implements InstrumentationModule {
  @Override
  public String name() {
    return "thread-start";
  }

  @Override
  public boolean instrumentsJdkType(String className) {
    return className.equals("java.lang.Thread")
        || className.equals("java.util.concurrent.ThreadPoolExecutor");
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
    return builder
        .type(support.types(name(), named("java.lang.Thread")))
        .transform(
            support
                .forAdvice(name())
                .advice(named("start").and(takesArguments(0)), ThreadStartAdvice.class.getName()))
        .transform(
            support
                .forAdvice(name())
                .advice(named("run").and(takesArguments(0)), RunOnceAdvice.class.getName()))
        .assureReadEdgeTo(support.instrumentation(), TaskContexts.class)
        .type(support.types(name(), named("java.util.concurrent.ThreadPoolExecutor")))
        .transform(
            support.forAdvice(name()).advice(named("addWorker"), AddWorkerAdvice.class.getName()))
        .assureReadEdgeTo(support.instrumentation(), TaskContexts.class);
  }
}
