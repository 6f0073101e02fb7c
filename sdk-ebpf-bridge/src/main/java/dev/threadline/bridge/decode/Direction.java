package dev.threadline.bridge.decode;

/** enum tl_direction, from the traced process's point of view. */
public enum Direction {
  /** The process sent the bytes (write, writev, sendto, sendmsg). */
  EGRESS,
  /** The process received the bytes (read, readv, recvfrom, recvmsg). */
  INGRESS
}
