package dev.threadline.bridge.node.receiver;

/**
 * How large one export request may be.
 *
 * @param maxBodyBytes the body as sent (compressed or not); a bigger one is refused with 413 before
 *     it is read further
 * @param maxDecodedBytes the body once decompressed; inflating stops there and the request is
 *     refused with 413, which is what keeps a gzip bomb from filling the heap
 */
public record ReceiverLimits(int maxBodyBytes, int maxDecodedBytes) {
  public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
  public static final int DEFAULT_MAX_DECODED_BYTES = 8 * 1024 * 1024;

  public ReceiverLimits {
    if (maxBodyBytes <= 0 || maxDecodedBytes <= 0) {
      throw new IllegalArgumentException("request size limits must be positive");
    }
  }

  public static ReceiverLimits defaults() {
    return new ReceiverLimits(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DECODED_BYTES);
  }
}
