package dev.threadline.bridge.decode;

/** enum tl_syscall: which system call produced the event (codes 1..13 in declaration order). */
public enum Syscall {
    READ, WRITE, READV, WRITEV, SENDTO, RECVFROM, SENDMSG, RECVMSG, ACCEPT, ACCEPT4, CONNECT, CLOSE,
    /** sendfile(2): counted, never captured. */
    SENDFILE;

    static Syscall of(int code) {
        Syscall[] all = values();
        if (code < 1 || code > all.length) {
            throw new IllegalArgumentException("unknown syscall code " + code);
        }
        return all[code - 1];
    }
}
