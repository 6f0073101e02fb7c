package dev.threadline.benchmarks.bridge;

/** One configuration that can be switched on and off between timings. */
interface Variant extends AutoCloseable {
  String name();

  void attach() throws Exception;

  void detach();

  /** After the run: throws when the configuration did not do what it claims (e.g. no span made). */
  default void verify() {}

  @Override
  void close();
}
