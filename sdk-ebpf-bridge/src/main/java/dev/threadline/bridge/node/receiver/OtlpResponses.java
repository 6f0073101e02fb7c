package dev.threadline.bridge.node.receiver;

import com.google.protobuf.CodedOutputStream;
import dev.threadline.bridge.node.JsonOutput;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Response bodies in the encoding of the request, as OTLP/HTTP requires. */
final class OtlpResponses {
  /** google.rpc.Code INVALID_ARGUMENT, for 400s. */
  private static final int INVALID_ARGUMENT = 3;

  /** google.rpc.Code RESOURCE_EXHAUSTED, for 413s. */
  private static final int RESOURCE_EXHAUSTED = 8;

  private OtlpResponses() {}

  static byte[] success(boolean json, long rejected, String message) {
    if (json) {
      if (rejected == 0) {
        return "{}".getBytes(StandardCharsets.UTF_8);
      }
      // int64 is a string in proto3 JSON.
      return ("{\"partialSuccess\":{\"rejectedSpans\":\""
              + rejected
              + "\",\"errorMessage\":"
              + jsonString(message)
              + "}}")
          .getBytes(StandardCharsets.UTF_8);
    }
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (rejected > 0) {
      response.setPartialSuccess(
          ExportTracePartialSuccess.newBuilder()
              .setRejectedSpans(rejected)
              .setErrorMessage(message));
    }
    return response.build().toByteArray();
  }

  /**
   * A {@code google.rpc.Status} (the error body OTLP/HTTP specifies), written by hand: it is two
   * fields, and the googleapis classes are not worth a dependency for them.
   */
  static byte[] error(boolean json, int httpStatus, String message) {
    int code = httpStatus == 413 ? RESOURCE_EXHAUSTED : INVALID_ARGUMENT;
    if (json) {
      return ("{\"code\":" + code + ",\"message\":" + jsonString(message) + "}")
          .getBytes(StandardCharsets.UTF_8);
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeInt32(1, code);
      out.writeString(2, message);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String jsonString(String value) {
    return JsonOutput.quoted(value);
  }
}
