package dev.threadline.bridge.node;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * JSON as the node writes it (query answers, OTLP/JSON responses): Gson's streaming writer in
 * HTML-safe mode, so besides JSON's own escapes {@code <}, {@code >}, {@code &}, {@code =}, {@code
 * '} and the JavaScript line separators are written as {@code \}{@code uXXXX} and a value can never
 * close a script or HTML context in the viewer.
 */
public final class JsonOutput {
  /** Writes one JSON document. */
  @FunctionalInterface
  public interface Body {
    void write(JsonWriter json) throws IOException;
  }

  private JsonOutput() {}

  /**
   * The document {@code body} writes, as a string.
   *
   * @throws IllegalStateException when {@code body} leaves the document incomplete
   */
  public static String write(Body body) {
    StringWriter text = new StringWriter(512);
    try (JsonWriter json = new JsonWriter(text)) {
      json.setHtmlSafe(true);
      body.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return text.toString();
  }

  /** {@code value} as a quoted, escaped JSON string. */
  public static String quoted(String value) {
    return write(json -> json.value(value));
  }

  /** A number, or {@code null} for NaN and the infinities (which JSON cannot hold). */
  public static JsonWriter number(JsonWriter json, double value) throws IOException {
    return Double.isFinite(value) ? json.value(value) : json.nullValue();
  }
}
