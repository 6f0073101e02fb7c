package dev.threadline.bridge.loader;

/**
 * The kernel side cannot run here. The message is a single line that names the cause and what to do
 * about it; callers print it and carry on without kernel spans.
 */
public final class BridgeUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  private final FailureReason reason;

  public BridgeUnavailableException(FailureReason reason, String oneLine) {
    super(oneLine);
    this.reason = reason;
  }

  public BridgeUnavailableException(FailureReason reason, String oneLine, Throwable cause) {
    super(oneLine, cause);
    this.reason = reason;
  }

  public FailureReason reason() {
    return reason;
  }

  /** "threadline-bridge: <reason>: <what is wrong and what to do>". */
  public String oneLine() {
    return "threadline-bridge: "
        + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
        + ": "
        + getMessage();
  }
}
