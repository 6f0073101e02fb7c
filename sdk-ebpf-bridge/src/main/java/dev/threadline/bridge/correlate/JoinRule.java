package dev.threadline.bridge.correlate;

/**
 * The evidence that joined an S span to its parent or child, strongest first (DESIGN.md, "How spans
 * join"). Each joined S span names its rule in the attribute {@value #ATTRIBUTE}.
 */
public enum JoinRule {
  /** The request's first byte has the same TCP sequence number on mirrored 4-tuples. */
  TCP_SEQ("tcp_seq", true),
  /** A W3C {@code traceparent} in the captured request. */
  TRACEPARENT("traceparent", true),
  /** A B3 header (single or multi) in the captured request. */
  B3("b3", true),
  /** A Jaeger {@code uber-trace-id} in the captured request. */
  JAEGER("uber-trace-id", true),
  /** The same {@code X-Kong-Request-Id} / {@code X-Request-Id} on both sides. */
  REQUEST_ID("request_id", true),
  /** Inside one gateway process: the c-p carries the same request as an s-p being answered. */
  PROXY("proxy", false),
  /** The span that was current on the thread that moved the bytes. */
  STAMP("stamp", false),
  /**
   * Same process, same trace: under the deepest A span of the process open for the whole exchange.
   */
  CONTAINMENT("containment", false),
  /**
   * Same thread (thread-per-request processes only): a c-p made by the thread that received an s-p,
   * while that s-p was being answered. Always marked inferred.
   */
  ADJACENCY("adjacency", false);

  /** The span attribute that names the rule that joined an S span to its parent. */
  public static final String ATTRIBUTE = "threadline.join.rule";

  /** Set (to true) on an S span joined by a guess among several candidates. */
  public static final String INFERRED_ATTRIBUTE = "threadline.join.inferred";

  private final String key;
  private final boolean mayMergeApplicationTraces;

  JoinRule(String key, boolean mayMergeApplicationTraces) {
    this.key = key;
    this.mayMergeApplicationTraces = mayMergeApplicationTraces;
  }

  /** The rule's name in attributes and metrics. */
  public String key() {
    return key;
  }

  /**
   * Whether this evidence is strong enough to merge two different application traces: only the wire
   * and the ids in the payload are (rules 1 and 2); the weaker rules never merge them.
   */
  public boolean mayMergeApplicationTraces() {
    return mayMergeApplicationTraces;
  }
}
