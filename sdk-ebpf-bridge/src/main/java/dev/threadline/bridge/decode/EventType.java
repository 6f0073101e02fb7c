package dev.threadline.bridge.decode;

/** enum tl_event_type. */
public enum EventType {
    /** Bytes moved on a TCP socket. */
    DATA,
    /** accept/accept4 returned this socket: the process is the server side. */
    ACCEPT,
    /** connect on this socket succeeded or is in progress: the process is the client side. */
    CONNECT,
    /** The process closed its fd of this socket. */
    CLOSE;

    static EventType of(int code) {
        switch (code) {
            case EventLayout.TYPE_DATA: return DATA;
            case EventLayout.TYPE_ACCEPT: return ACCEPT;
            case EventLayout.TYPE_CONNECT: return CONNECT;
            case EventLayout.TYPE_CLOSE: return CLOSE;
            default: throw new IllegalArgumentException("unknown event type " + code);
        }
    }
}
