package dev.threadline.agent.instrumentation.reactor.helpers;

import dev.threadline.agent.bootstrap.Instrumentations;
import dev.threadline.agent.bootstrap.reactor.ReactorContexts;
import io.opentelemetry.context.Context;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.publisher.Operators;
import reactor.util.context.ContextView;

/**
 * The {@code Hooks.onEachOperator} function: lifts every operator (but the scalar ones, {@code
 * just}/{@code empty}/{@code error}, which emit where they are subscribed) so that its subscriber
 * receives signals in the subscription's OpenTelemetry context. That context is the one the server
 * wrote into the Reactor context, or else the one current where the subscription was made; a
 * subscription in no context is not wrapped at all (nothing is allocated for it).
 */
public final class ContextHook implements Function<Publisher<Object>, Publisher<Object>> {
  private final Function<? super Publisher<Object>, ? extends Publisher<Object>> lift =
      Operators.<Object>liftPublisher(ContextHook::shouldLift, ContextHook::lift);

  @Override
  public Publisher<Object> apply(Publisher<Object> publisher) {
    return lift.apply(publisher);
  }

  @SuppressWarnings("rawtypes")
  private static boolean shouldLift(Publisher publisher) {
    return !(publisher instanceof Fuseable.ScalarCallable);
  }

  @SuppressWarnings("rawtypes")
  private static <T> CoreSubscriber<? super T> lift(
      Publisher publisher, CoreSubscriber<? super T> subscriber) {
    if (!Instrumentations.isEnabled(ReactorContexts.INSTRUMENTATION)) {
      return subscriber;
    }
    Context context = contextOf(subscriber.currentContext());
    if (context == Context.root()
        || (subscriber instanceof ContextSubscriber
            && ((ContextSubscriber<?>) subscriber).context() == context)) {
      return subscriber;
    }
    return new ContextSubscriber<>(subscriber, context);
  }

  /**
   * The OpenTelemetry context of a subscription with Reactor context {@code view}: the one stored
   * under {@link ReactorContexts#KEY}, or else the current one.
   */
  public static Context contextOf(ContextView view) {
    Object stored = view.isEmpty() ? null : view.getOrDefault(ReactorContexts.KEY, null);
    return stored instanceof Context ? (Context) stored : Context.current();
  }
}
