package dev.threadline.bridge.node.receiver;

/**
 * Why a request was refused, with the HTTP status that says so; the message goes back to the
 * sender.
 */
final class ReceiveException extends Exception {
  private final int status;

  ReceiveException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static ReceiveException badRequest(String message) {
    return new ReceiveException(400, message);
  }

  static ReceiveException tooLarge(String message) {
    return new ReceiveException(413, message);
  }

  int status() {
    return status;
  }
}
