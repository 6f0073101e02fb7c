package dev.threadline.bridge.node.receiver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reads request bodies without ever holding more than the limits allow. */
final class BoundedBody {
  private BoundedBody() {}

  /**
   * Reads at most {@code limit} bytes; one more means the body is too large, and the rest is not
   * read. (The node then closes the connection rather than reading on through the remainder.)
   */
  static byte[] read(InputStream in, int limit, String what) throws IOException, ReceiveException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      total += n;
      if (total > limit) {
        throw ReceiveException.tooLarge(what + " exceeds " + limit + " bytes");
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /** Inflates a gzip body, stopping as soon as the output passes {@code limit}. */
  static byte[] gunzip(byte[] body, int limit) throws ReceiveException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body), 8 * 1024)) {
      return read(in, limit, "decompressed body");
    } catch (ZipException | EOFException e) {
      throw ReceiveException.badRequest("invalid gzip body: " + e.getMessage());
    } catch (IOException e) {
      throw ReceiveException.badRequest("cannot read gzip body: " + e.getMessage());
    }
  }
}
