package dev.threadline.agent.instrumentation.testing.helpers;

import java.util.function.Supplier;

/**
 * A helper class that names a library type: H2's driver, as the loader it is defined in sees it.
 */
public final class DriverProbe implements Supplier<Class<?>> {
  @Override
  public Class<?> get() {
    return org.h2.Driver.class;
  }
}
