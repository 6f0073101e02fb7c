package dev.threadline.benchmarks.context;

import io.opentelemetry.context.ContextStorage;

/**
 * The context storage a context benchmark must run on: OpenTelemetry's own thread-local storage, or
 * the hook in its place, which is what an application without another storage provider runs. Any
 * other (a provider on the classpath) would measure something else.
 */
final class ExpectedStorage {
  private ExpectedStorage() {}

  /** The storage's class name; throws unless it is the one {@code mode} must measure. */
  static String require(String mode, boolean hooked) {
    String storage = ContextStorage.get().getClass().getName();
    String expected =
        hooked
            ? "dev.threadline.sdk.context.PublishingContextStorage"
            : "io.opentelemetry.context.ThreadLocalContextStorage";
    if (!storage.equals(expected)) {
      throw new IllegalStateException(
          "mode " + mode + " needs " + expected + " but the context storage is " + storage);
    }
    return storage;
  }
}
