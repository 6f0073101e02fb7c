package dev.threadline.bridge.http;

import dev.threadline.bridge.decode.SocketEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Incremental HTTP/1.x parser for one direction of one socket, fed syscall by syscall.
 *
 * <p>Only the first N bytes of each syscall are captured, but the byte count is always known, so
 * bodies are skipped by counting (Content-Length, chunk sizes) rather than by reading them; that is
 * what keeps keep-alive and pipelined messages aligned. The parser needs real bytes only for heads
 * and chunk-size lines. If those fall outside the captured part it loses sync, and resynchronises
 * at the next syscall that starts like an HTTP message.
 *
 * <p>Whole events can be lost too (the ring buffer was full). Each call's TCP sequence number is
 * that of its first byte, so a call that does not start where the previous one ended shows the gap:
 * the message in progress ends with the last bytes seen, the listener hears of the gap, and parsing
 * resumes at a call that starts like an HTTP message (this one, often).
 */
public final class HttpStreamParser {

  /** Receives parse results, on the caller's thread. */
  public interface Listener {
    /** A message head was parsed; its body (if any) follows. */
    void headParsed(HttpMessage head, MessageStart start);

    /** The whole message has been moved; {@code bytes} counts head and body. */
    void completed(HttpMessage head, MessageStart start, long endNanos, int endTid, long bytes);

    /** The stream's first bytes are not HTTP/1.x. */
    void notHttp(SocketEvent first);

    /**
     * Calls in this direction were lost before {@code next} (its sequence number is past the end of
     * the previous call): whatever messages they held are gone.
     */
    default void gap(SocketEvent next) {}

    /**
     * A message starts in {@code e} where none of its bytes were captured (the payload was reduced
     * under ring pressure, or lies past what is kept): it is there, but cannot be read.
     */
    default void unreadable(SocketEvent e) {}
  }

  private enum State {
    HEAD,
    BODY,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_CRLF,
    TRAILER,
    UNTIL_CLOSE,
    NOT_HTTP,
    LOST
  }

  private static final int MAX_HEAD = 64 * 1024;
  private static final int MAX_LINE = 4 * 1024;

  private final Listener listener;
  private final Supplier<String> pendingRequestMethod;

  /** The head being read, possibly across calls; reused from message to message. */
  private byte[] head = new byte[256];

  private int headLength;

  /** A chunk-size or trailer line being read. */
  private byte[] line = new byte[64];

  private int lineLength;
  private State state = State.HEAD;
  private boolean anyMessage;
  private HttpMessage current;
  private MessageStart start;
  private long messageBytes;
  private long remaining;
  private long lastNanos;
  private int lastTid;

  /** The sequence number the next call must start at (mod 2^32), or -1 before the first call. */
  private long nextSeq = -1;

  /**
   * Before the first call: where it must start at the latest, as the other direction told ({@link
   * #expectFrom}), or -1.
   */
  private long firstSeq = -1;

  /** The first bytes of a call, to check for a message start ("OPTIONS " is the longest token). */
  private final byte[] probe = new byte[8];

  /**
   * @param listener receives messages
   * @param pendingRequestMethod method of the request the next response answers (a response to HEAD
   *     has no body whatever its headers say), or null when unknown
   */
  public HttpStreamParser(Listener listener, Supplier<String> pendingRequestMethod) {
    this.listener = listener;
    this.pendingRequestMethod = pendingRequestMethod;
  }

  /**
   * Where this direction stood when a call in the other direction returned ({@link
   * SocketEvent#peerSeq()}), used until this direction's first call: if that call starts past it,
   * calls were lost before it, and a first message lost from the ring is a gap like any later one.
   * Without it a lost first response would leave its request queued to take the next response. Only
   * a start past it counts: a call still in progress when the other direction's counter was read
   * starts before it.
   */
  public void expectFrom(long seq) {
    if (nextSeq < 0 && firstSeq < 0 && seq >= 0) {
      firstSeq = seq & 0xFFFF_FFFFL;
    }
  }

  /** Whether {@code seq} is past {@code from} in sequence space (RFC 793's modular comparison). */
  private static boolean ahead(long seq, long from) {
    long distance = (seq - from) & 0xFFFF_FFFFL;
    return distance != 0 && distance < 0x8000_0000L;
  }

  /** True once the stream was found not to be HTTP. */
  public boolean notHttp() {
    return state == State.NOT_HTTP;
  }

  /** Consumes the bytes moved by one send or receive in this parser's direction. */
  public void feed(SocketEvent e) {
    long total = e.bytes();
    int captured = e.capturedLength();
    long seq = e.seq() & 0xFFFF_FFFFL;
    boolean gap = nextSeq >= 0 ? seq != nextSeq : firstSeq >= 0 && ahead(seq, firstSeq);
    nextSeq = (seq + total) & 0xFFFF_FFFFL;
    if (state == State.NOT_HTTP) {
      lastNanos = e.nanos();
      lastTid = e.tid();
      return;
    }
    if (gap) {
      lostBefore(e);
    }
    lastNanos = e.nanos();
    lastTid = e.tid();
    if (state == State.LOST) {
      if (!startsLikeMessage(e, 0, captured)) {
        return;
      }
      state = State.HEAD; // resynchronised at a call boundary
    }
    long pos = 0;
    while (pos < total) {
      switch (state) {
        case HEAD:
          if (headLength == 0) {
            int available = (int) Math.max(0, captured - pos);
            if (!startsLikeMessage(e, (int) pos, available)) {
              if (!anyMessage && pos == 0 && available > 0) {
                state = State.NOT_HTTP;
                listener.notHttp(e);
              } else {
                state = State.LOST;
                if (available == 0) {
                  listener.unreadable(e);
                }
              }
              return;
            }
            start =
                new MessageStart(
                    (e.seq() + pos) & 0xFFFF_FFFFL, e.nanos(), e.tid(), e.comm(), e.stamp());
            messageBytes = 0;
          }
          pos = readHead(e, captured, pos);
          if (pos < 0) {
            return;
          }
          break;
        case BODY:
        case CHUNK_DATA:
        case CHUNK_CRLF:
          {
            long n = Math.min(remaining, total - pos);
            pos += n;
            messageBytes += n;
            remaining -= n;
            if (remaining == 0) {
              if (state == State.BODY) {
                complete(e);
              } else if (state == State.CHUNK_DATA) {
                state = State.CHUNK_CRLF;
                remaining = 2;
              } else {
                state = State.CHUNK_SIZE;
              }
            }
            break;
          }
        case CHUNK_SIZE:
        case TRAILER:
          pos = readLine(e, captured, pos);
          if (pos < 0) {
            return;
          }
          break;
        case UNTIL_CLOSE:
          messageBytes += total - pos;
          pos = total;
          break;
        default:
          return;
      }
    }
  }

  /** Bytes this parser keeps between calls (its head and line buffers): what bounds its memory. */
  int bufferedBytes() {
    return head.length + line.length;
  }

  /** The connection closed: a response delimited by close is complete now. */
  public void close() {
    if (state == State.UNTIL_CLOSE) {
      listener.completed(current, start, lastNanos, lastTid, messageBytes);
      state = State.HEAD;
    }
  }

  private long readHead(SocketEvent e, int captured, long pos) {
    int from = (int) pos;
    int upTo = Math.max(from, captured);
    int before = headLength;
    append(e, from, upTo - from);
    int end = findHeadEnd(head, Math.max(0, before - 3), headLength);
    if (end < 0) {
      if (captured < e.bytes()) {
        return truncatedHead(e, pos);
      }
      messageBytes += upTo - from;
      if (headLength > MAX_HEAD) {
        lose(e, pos);
        return -1;
      }
      return e.bytes();
    }
    int consumed = end - before;
    messageBytes += consumed;
    headLength = 0;
    current = HttpHeadParser.parse(head, end);
    if (current == null) {
      lose(e, pos);
      return -1;
    }
    anyMessage = true;
    listener.headParsed(current, start);
    startBody(e);
    return pos + consumed;
  }

  /**
   * The head goes on past the captured bytes (a 3 KiB cookie or JWT with N = 1 KiB): keep the
   * complete lines, and take the message to end with this syscall, which is right for the usual
   * body-less request or a head written in one call, and keeps pairing aligned.
   */
  private long truncatedHead(SocketEvent e, long pos) {
    int length = headLength;
    headLength = 0;
    current = HttpHeadParser.parseTruncated(head, length);
    if (current == null) {
      lose(e, pos);
      return -1;
    }
    anyMessage = true;
    messageBytes += e.bytes() - pos;
    listener.headParsed(current, start);
    complete(e);
    return e.bytes();
  }

  private void startBody(SocketEvent e) {
    String te = current.header("transfer-encoding");
    String cl = current.header("content-length");
    boolean noBody =
        !current.request()
            && (current.status() < 200
                || current.status() == 204
                || current.status() == 304
                || "HEAD".equals(pendingRequestMethod == null ? null : pendingRequestMethod.get()));
    if (noBody) {
      complete(e);
    } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      state = State.CHUNK_SIZE;
    } else if (cl != null) {
      int comma =
          cl.indexOf(','); // "5, 5": repeated headers joined (RFC 9110 allows identical values)
      try {
        remaining = Math.max(0, Long.parseLong((comma < 0 ? cl : cl.substring(0, comma)).trim()));
      } catch (NumberFormatException ex) {
        remaining = 0; // no usable length: the message ends here
      }
      if (remaining == 0) {
        complete(e);
      } else {
        state = State.BODY;
      }
    } else if (current.request()) {
      complete(e); // a request without length headers has no body
    } else {
      state = State.UNTIL_CLOSE;
    }
  }

  private long readLine(SocketEvent e, int captured, long pos) {
    if (pos >= captured) {
      lose(e, pos); // a chunk-size line past the captured bytes
      return -1;
    }
    int i = (int) pos;
    while (i < captured && e.payloadByte(i) != '\n') {
      i++;
    }
    boolean complete = i < captured;
    int upTo = complete ? i + 1 : captured;
    int n = upTo - (int) pos;
    if (lineLength + n > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
    }
    e.copyPayload((int) pos, line, lineLength, n);
    lineLength += n;
    messageBytes += n;
    if (!complete) {
      if (captured < e.bytes() || lineLength > MAX_LINE) {
        lose(e, upTo);
        return -1;
      }
      return e.bytes();
    }
    String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1).trim();
    lineLength = 0;
    if (state == State.TRAILER) {
      if (text.isEmpty()) {
        complete(e);
      }
      return upTo;
    }
    int semicolon = text.indexOf(';');
    try {
      remaining = Long.parseLong(semicolon < 0 ? text : text.substring(0, semicolon).trim(), 16);
    } catch (NumberFormatException ex) {
      lose(e, upTo);
      return -1;
    }
    if (remaining < 0) {
      lose(e, upTo); // "-5" parses, and is no chunk size
      return -1;
    }
    state = remaining == 0 ? State.TRAILER : State.CHUNK_DATA;
    return upTo;
  }

  private void complete(SocketEvent e) {
    state = State.HEAD;
    listener.completed(current, start, e.nanos(), e.tid(), messageBytes);
  }

  /**
   * Lost sync at {@code pos} of {@code e}. A message whose head was parsed is completed with the
   * rest of this syscall, so that its request or response still pairs and the ones after it stay
   * aligned; then bytes are ignored until a syscall starts like an HTTP message.
   */
  private void lose(SocketEvent e, long pos) {
    boolean inMessage = state != State.HEAD && state != State.LOST && state != State.NOT_HTTP;
    if (inMessage) {
      listener.completed(
          current, start, e.nanos(), e.tid(), messageBytes + Math.max(0, e.bytes() - pos));
    }
    state = State.LOST;
    headLength = 0;
    lineLength = 0;
  }

  /**
   * Calls were lost before {@code e}: a message whose head was parsed ends with the last call seen
   * (its size is what was seen of it), a head being read is dropped, and parsing resumes at a call
   * that starts like a message.
   */
  private void lostBefore(SocketEvent e) {
    boolean inMessage = state != State.HEAD && state != State.LOST;
    if (inMessage) {
      listener.completed(current, start, lastNanos, lastTid, messageBytes);
    }
    // A message whose head was being read when calls were lost cannot be read: heard of before the
    // gap, as it is older than anything the lost calls held.
    boolean headCut = state == State.HEAD && headLength > 0;
    // At a boundary, a call that does not start like a message carries the rest of one that began
    // in the lost calls (or one whose bytes were not captured): the latest of them.
    boolean restOfLost =
        state == State.HEAD && headLength == 0 && !startsLikeMessage(e, 0, e.capturedLength());
    state = State.LOST;
    headLength = 0;
    lineLength = 0;
    if (headCut) {
      listener.unreadable(e);
    }
    listener.gap(e);
    if (restOfLost) {
      listener.unreadable(e);
    }
  }

  /** Appends captured bytes of {@code e} to the head buffer. */
  private void append(SocketEvent e, int from, int length) {
    if (headLength + length > head.length) {
      head = Arrays.copyOf(head, Math.max(head.length * 2, headLength + length));
    }
    e.copyPayload(from, head, headLength, length);
    headLength += length;
  }

  /** Whether the captured bytes of {@code e} from {@code from} can start an HTTP/1.x message. */
  private boolean startsLikeMessage(SocketEvent e, int from, int available) {
    int n = Math.min(available, probe.length);
    if (n > 0) {
      e.copyPayload(from, probe, 0, n);
    }
    return HttpHeadParser.looksLikeStart(probe, 0, n);
  }

  private static int findHeadEnd(byte[] b, int from, int length) {
    for (int i = from; i + 1 < length; i++) {
      if (b[i] == '\n') {
        if (b[i + 1] == '\n') {
          return i + 2;
        }
        if (i + 2 < length && b[i + 1] == '\r' && b[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }
}
