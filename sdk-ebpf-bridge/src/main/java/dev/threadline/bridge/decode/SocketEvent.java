package dev.threadline.bridge.decode;

/**
 * One decoded ring-buffer record: a syscall on a TCP socket.
 *
 * @param type data or lifecycle
 * @param syscall the system call
 * @param direction for {@link EventType#DATA}: who sent the bytes
 * @param pid tgid of the process
 * @param tid thread id
 * @param comm thread name (task comm)
 * @param fd file descriptor in that process
 * @param sockId kernel address of the socket: identity of this end while it is open
 * @param local this process's end
 * @param remote the peer's end
 * @param enterNanos CLOCK_MONOTONIC at syscall entry (same clock as {@link System#nanoTime()})
 * @param exitNanos CLOCK_MONOTONIC at syscall exit
 * @param bytes bytes moved (data) or the syscall's return value (lifecycle)
 * @param seq TCP sequence number of the first byte moved (unsigned 32-bit)
 * @param payload the first captured bytes of the data (at most N, may be shorter than bytes)
 */
public record SocketEvent(EventType type, Syscall syscall, Direction direction, int pid, int tid, String comm, int fd,
        long sockId, Endpoint local, Endpoint remote, long enterNanos, long exitNanos, long bytes, long seq,
        byte[] payload) {

    public SocketEvent {
        payload = payload.clone();
    }

    /** A copy of the captured payload. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** Captured payload length, without copying. */
    public int capturedLength() {
        return payload.length;
    }

    /** Captured byte at {@code index}, without copying. */
    public byte payloadByte(int index) {
        return payload[index];
    }
}
