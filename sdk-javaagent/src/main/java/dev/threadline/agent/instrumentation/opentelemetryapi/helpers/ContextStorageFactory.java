package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import application.io.opentelemetry.context.ContextStorage;
import java.util.function.Function;

/**
 * Makes the application's bridged {@link ContextStorage} from its original one (asked by the
 * bootstrap part through {@code HelperClasses}, which knows only {@link Function}).
 */
public final class ContextStorageFactory implements Function<Object, Object> {
  @Override
  public Object apply(Object original) {
    return new BridgedContextStorage((ContextStorage) original);
  }
}
