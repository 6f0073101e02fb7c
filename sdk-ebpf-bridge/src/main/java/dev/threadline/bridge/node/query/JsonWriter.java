package dev.threadline.bridge.node.query;

import dev.threadline.bridge.node.JsonStrings;

/**
 * A minimal streaming JSON writer for the query API: objects, arrays, strings, numbers, booleans.
 * Commas are placed automatically. Strings escape {@code <}, {@code >} and {@code &} as well, so
 * span names and attribute values sent by anyone can never become markup wherever the JSON ends up.
 */
final class JsonWriter {
  private final StringBuilder out = new StringBuilder(4096);

  /** Whether the next value in the current container needs a comma before it. */
  private boolean comma;

  JsonWriter beginObject() {
    separate();
    out.append('{');
    comma = false;
    return this;
  }

  JsonWriter endObject() {
    out.append('}');
    comma = true;
    return this;
  }

  JsonWriter beginArray() {
    separate();
    out.append('[');
    comma = false;
    return this;
  }

  JsonWriter endArray() {
    out.append(']');
    comma = true;
    return this;
  }

  JsonWriter name(String name) {
    separate();
    string(name);
    out.append(':');
    comma = false;
    return this;
  }

  JsonWriter value(String value) {
    separate();
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
    comma = true;
    return this;
  }

  JsonWriter value(long value) {
    separate();
    out.append(value);
    comma = true;
    return this;
  }

  JsonWriter value(double value) {
    separate();
    out.append(Double.isFinite(value) ? Double.toString(value) : "null");
    comma = true;
    return this;
  }

  JsonWriter value(boolean value) {
    separate();
    out.append(value);
    comma = true;
    return this;
  }

  JsonWriter field(String name, String value) {
    return name(name).value(value);
  }

  JsonWriter field(String name, long value) {
    return name(name).value(value);
  }

  JsonWriter field(String name, double value) {
    return name(name).value(value);
  }

  JsonWriter field(String name, boolean value) {
    return name(name).value(value);
  }

  private void separate() {
    if (comma) {
      out.append(',');
    }
  }

  private void string(String value) {
    JsonStrings.appendQuoted(out, value);
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
