package dev.threadline.bridge.decode;

import java.net.InetAddress;

/**
 * One end of a TCP connection. IPv4-mapped IPv6 addresses (a dual-stack JVM socket talking IPv4)
 * are already reduced to plain IPv4 by {@link InetAddress#getByAddress(byte[])}.
 */
public record Endpoint(InetAddress address, int port) {
  @Override
  public String toString() {
    String host = address.getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
