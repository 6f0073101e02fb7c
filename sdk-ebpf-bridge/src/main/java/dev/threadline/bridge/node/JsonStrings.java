package dev.threadline.bridge.node;

/**
 * JSON string literals for what the node writes (query answers, OTLP/JSON error bodies). Besides
 * JSON's own escapes, {@code <}, {@code >}, {@code &} and the JavaScript line separators are
 * escaped so that a value can never close a script or HTML context in the viewer.
 */
public final class JsonStrings {
  private JsonStrings() {}

  /** Appends {@code value} as a quoted, escaped JSON string. */
  public static StringBuilder appendQuoted(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"');
  }
}
