package dev.threadline.bridge.node.receiver;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Reading helpers for OTLP/JSON: a strict, depth-limited parse, and the value rules of the OTLP
 * JSON encoding (trace and span ids as hex, 64-bit integers as strings or numbers, enums as names
 * or numbers, field names in lowerCamelCase or, as protobuf's JSON mapping also allows,
 * snake_case).
 */
final class OtlpJson {
  /**
   * Deep enough for any real OTLP document (nested attribute values included), shallow enough to be
   * safe.
   */
  static final int NESTING_LIMIT = 64;

  private static final TypeAdapter<JsonElement> ELEMENTS = new Gson().getAdapter(JsonElement.class);
  private static final HexFormat HEX = HexFormat.of();

  private OtlpJson() {}

  static JsonObject parse(byte[] body) throws ReceiveException {
    try (JsonReader reader =
        new JsonReader(
            new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8))) {
      reader.setStrictness(Strictness.STRICT);
      reader.setNestingLimit(NESTING_LIMIT);
      JsonElement root = ELEMENTS.read(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw ReceiveException.badRequest("invalid JSON: content after the top-level value");
      }
      if (root == null || !root.isJsonObject()) {
        throw ReceiveException.badRequest("invalid JSON: the body must be an object");
      }
      return root.getAsJsonObject();
    } catch (IOException | JsonParseException | IllegalStateException e) {
      throw ReceiveException.badRequest("invalid JSON: " + e.getMessage());
    }
  }

  /** A field name as protobuf's JSON parser matches it: case and underscores do not count. */
  static String key(Map.Entry<String, JsonElement> field) {
    return field.getKey().replace("_", "").toLowerCase(Locale.ROOT);
  }

  static JsonObject object(JsonElement value, String path) throws ReceiveException {
    if (!value.isJsonObject()) {
      throw ReceiveException.badRequest(path + ": expected an object");
    }
    return value.getAsJsonObject();
  }

  static JsonArray array(JsonElement value, String path) throws ReceiveException {
    if (!value.isJsonArray()) {
      throw ReceiveException.badRequest(path + ": expected an array");
    }
    return value.getAsJsonArray();
  }

  static String string(JsonElement value, String path) throws ReceiveException {
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw ReceiveException.badRequest(path + ": expected a string");
    }
    return value.getAsString();
  }

  static boolean bool(JsonElement value, String path) throws ReceiveException {
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()) {
      return value.getAsBoolean();
    }
    throw ReceiveException.badRequest(path + ": expected true or false");
  }

  static double number(JsonElement value, String path) throws ReceiveException {
    if (value.isJsonPrimitive()) {
      JsonPrimitive primitive = value.getAsJsonPrimitive();
      if (primitive.isNumber()) {
        return primitive.getAsDouble();
      }
      if (primitive.isString()) {
        switch (primitive.getAsString()) {
          case "NaN":
            return Double.NaN;
          case "Infinity":
            return Double.POSITIVE_INFINITY;
          case "-Infinity":
            return Double.NEGATIVE_INFINITY;
          default:
            try {
              return Double.parseDouble(primitive.getAsString());
            } catch (NumberFormatException e) {
              break;
            }
        }
      }
    }
    throw ReceiveException.badRequest(path + ": expected a number");
  }

  /** A 64-bit integer, signed or unsigned, from a JSON number or a string holding one. */
  static long int64(JsonElement value, String path) throws ReceiveException {
    if (value.isJsonPrimitive()) {
      JsonPrimitive primitive = value.getAsJsonPrimitive();
      if (primitive.isNumber() || primitive.isString()) {
        String text = primitive.getAsString().trim();
        try {
          return text.startsWith("-") ? Long.parseLong(text) : Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
          try {
            // 1.7e18 and 5.0 are valid JSON spellings of an integer. Checked for size before it
            // is expanded: the BigInteger of 1e99999999 would take minutes of CPU.
            BigDecimal number = new BigDecimal(text).stripTrailingZeros();
            if (number.scale() <= 0 && number.precision() - number.scale() <= 20) {
              return number.toBigIntegerExact().longValue();
            }
          } catch (ArithmeticException | NumberFormatException notInteger) {
            // fall through
          }
        }
      }
    }
    throw ReceiveException.badRequest(path + ": expected an integer");
  }

  /** An enum value: its number, or its name as in the .proto file. */
  static int enumValue(JsonElement value, String path, String prefix, String... names)
      throws ReceiveException {
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
      String name = value.getAsString();
      for (int i = 0; i < names.length; i++) {
        if (name.equals(prefix + names[i])) {
          return i;
        }
      }
      throw ReceiveException.badRequest(path + ": unknown value " + name);
    }
    long number = int64(value, path);
    if (number < 0 || number > Integer.MAX_VALUE) {
      throw ReceiveException.badRequest(path + ": enum value out of range");
    }
    return (int) number;
  }

  /**
   * A trace or span id. OTLP/JSON writes them as hex, unlike protobuf's JSON mapping of other bytes
   * fields; some old clients sent base64, which is accepted when it decodes to the right length.
   */
  static ByteString id(JsonElement value, String path, int length) throws ReceiveException {
    String text = string(value, path);
    if (text.isEmpty()) {
      return ByteString.EMPTY;
    }
    if (text.length() == 2 * length) {
      try {
        return ByteString.copyFrom(HEX.parseHex(text));
      } catch (IllegalArgumentException e) {
        // not hex: try base64 below
      }
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(text);
      if (bytes.length == length) {
        return ByteString.copyFrom(bytes);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw ReceiveException.badRequest(path + ": expected " + (2 * length) + " hex digits");
  }

  static ByteString base64(JsonElement value, String path) throws ReceiveException {
    try {
      return ByteString.copyFrom(Base64.getDecoder().decode(string(value, path)));
    } catch (IllegalArgumentException e) {
      throw ReceiveException.badRequest(path + ": expected base64");
    }
  }
}
