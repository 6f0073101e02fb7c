package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import application.io.opentelemetry.context.Context;
import application.io.opentelemetry.context.ContextStorage;
import application.io.opentelemetry.context.Scope;
import java.lang.reflect.Method;

/**
 * The application's context storage, kept in the agent's: the current application context is the
 * agent's current context (its span and baggage) plus the application-side context stored in it,
 * and attaching an application context makes the matching agent context current. So the agent's
 * thread hand-offs carry the application's context too, and scopes of either side nest.
 */
final class BridgedContextStorage implements ContextStorage {
  /** The application API's own root context (all keys unset). */
  private static volatile Context applicationRoot;

  private final BridgedContext root;

  BridgedContextStorage(ContextStorage original) {
    ApplicationKeys.check();
    Context originalRoot = rootOf(original);
    applicationRoot = originalRoot;
    root = new BridgedContext(io.opentelemetry.context.Context.root(), originalRoot);
  }

  static boolean isApplicationRoot(Context context) {
    return context == applicationRoot;
  }

  @Override
  public Scope attach(Context toAttach) {
    if (toAttach == null) {
      return Scope.noop();
    }
    io.opentelemetry.context.Context target = BridgedContext.agentContextOf(toAttach);
    if (io.opentelemetry.context.Context.current() == target) {
      return Scope.noop();
    }
    io.opentelemetry.context.Scope scope = target.makeCurrent();
    return scope::close;
  }

  @Override
  public Context current() {
    io.opentelemetry.context.Context agent = io.opentelemetry.context.Context.current();
    Context application = agent.get(AgentKeys.APPLICATION_CONTEXT);
    if (application == null) {
      if (agent == root.agent) {
        return root;
      }
      application = root.application;
    }
    return new BridgedContext(agent, application);
  }

  @Override
  public Context root() {
    return root;
  }

  /** The original storage's root: {@code ContextStorage.root()} from API 1.5 on, else the API's. */
  private static Context rootOf(ContextStorage original) {
    try {
      return original.root();
    } catch (AbstractMethodError | NoSuchMethodError olderApi) {
      try {
        Class<?> arrayBased =
            Class.forName(
                "application.io.opentelemetry.context.ArrayBasedContext",
                true,
                BridgedContextStorage.class.getClassLoader());
        Method root = arrayBased.getDeclaredMethod("root");
        root.setAccessible(true);
        return (Context) root.invoke(null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("no root context in the application's API", e);
      }
    }
  }
}
