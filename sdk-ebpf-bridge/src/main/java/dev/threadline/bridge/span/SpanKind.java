package dev.threadline.bridge.span;

/** Which side of a connection an S span describes. */
public enum SpanKind {
  /** The process sent the request ("c-p": client, process view). */
  CLIENT("c-p"),
  /** The process received the request ("s-p": server, process view). */
  SERVER("s-p");

  private final String code;

  SpanKind(String code) {
    this.code = code;
  }

  /** "c-p" or "s-p", as printed by the CLI. */
  public String code() {
    return code;
  }
}
