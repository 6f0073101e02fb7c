/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The contract between socket_trace.bpf.c and the Java side (dev.threadline.bridge.decode.EventLayout for the
 * records, dev.threadline.bridge.loader for the maps): every ring-buffer record is one struct tl_event header
 * followed by `captured` payload bytes, little-endian, no padding (a record's size is rounded up to a size class,
 * so it can be longer than that, never shorter).
 *
 * The _Static_assert lines pin each offset; EventLayoutTest reads them from this file and
 * checks the Java constants, so the two sides cannot drift apart silently.
 */
#ifndef THREADLINE_SOCKET_TRACE_H
#define THREADLINE_SOCKET_TRACE_H

/* Payload capture: default first N bytes per send or receive, and the hard cap for N. */
#define TL_DEFAULT_CAPTURE 1024
#define TL_MAX_CAPTURE 16384
/*
 * Shedding under pressure: with more than tl_config.shed_head_bytes pending in the ring, a send or receive keeps
 * only its first TL_PRESSURE_HEAD_CAPTURE payload bytes (an HTTP request line and a few headers); with more than
 * tl_config.shed_all_bytes pending, none. The event itself (its byte count above all, which keeps the HTTP parser
 * in step) is dropped only when even that does not fit. Each reduction is counted in `reduced`, per level.
 */
#define TL_PRESSURE_HEAD_CAPTURE 256

/* Entries of the per-CPU `reduced` counter map. */
enum tl_reduction {
	TL_REDUCED_HEAD = 0, /* payload cut to TL_PRESSURE_HEAD_CAPTURE bytes */
	TL_REDUCED_NONE = 1, /* payload dropped, header kept */
	TL_REDUCTION_LEVELS = 2,
};

/* iovec entries walked per readv/writev/sendmsg/recvmsg (bytes in later ones are counted, not copied). */
#define TL_MAX_IOVECS 16

/*
 * Filters are bitmaps in array maps of 64-bit words: a lookup is a few inlined instructions, where a hash map
 * lookup costs a helper call and a hash on every traced call.
 * pids: one bit per tgid up to 2^22 (PID_MAX_LIMIT on 64-bit); the map is mmap()ed by the loader, which sets and
 * clears bits with atomic operations because the kernel side adds forked children concurrently.
 * ports: one bit per TCP port.
 */
#define TL_PID_BITMAP_WORDS 65536
#define TL_PORT_BITMAP_WORDS 1024
/* Processes whose thread-context region the bridge has registered in `ctx_regions` at once. */
#define TL_CTX_MAX_PROCESSES 1024

enum tl_event_type {
	TL_EVENT_DATA = 1, /* bytes moved on a TCP socket */
	TL_EVENT_ACCEPT = 2, /* a listener's connection was established: this end is the server */
	TL_EVENT_CONNECT = 3, /* the process started a connection: this end is the client */
	TL_EVENT_CLOSE = 4, /* the connection ended for this end: closed, reset or refused */
};

enum tl_direction {
	TL_EGRESS = 0, /* the traced process sent the bytes */
	TL_INGRESS = 1, /* the traced process received the bytes */
};

/* The system call that moved the bytes, read from the calling thread's saved registers. */
enum tl_syscall {
	TL_SYS_NONE = 0, /* another call (io_uring, sendmmsg, splice), a kernel thread, or the TCP stack itself */
	TL_SYS_READ = 1,
	TL_SYS_WRITE = 2,
	TL_SYS_READV = 3,
	TL_SYS_WRITEV = 4,
	TL_SYS_SENDTO = 5,
	TL_SYS_RECVFROM = 6,
	TL_SYS_SENDMSG = 7,
	TL_SYS_RECVMSG = 8,
	TL_SYS_CONNECT = 9,
	TL_SYS_SENDFILE = 10, /* bytes counted, no payload (it comes from a file, not user memory) */
};

/* Process filter modes (tl_config.pid_mode). */
enum tl_pid_mode {
	TL_PIDS_ALL_BUT_SELF = 0, /* every process except tl_config.self_pid (the bridge) */
	TL_PIDS_LISTED = 1, /* only the tgids whose bit is set in the `pids` bitmap */
};

/* Single entry of the `config` array map, written by the loader before attaching. */
struct tl_config {
	__u32 capture_bytes; /* N: payload bytes copied per call, <= TL_MAX_CAPTURE */
	__u32 pid_mode; /* enum tl_pid_mode */
	__u32 self_pid; /* tgid of the bridge */
	__u32 port_filter; /* non-zero: keep only sockets whose local or remote port is set in `ports` */
	__u32 wakeup_bytes; /* wake the reader once this much is pending in the ring (an eighth of it) */
	__u32 shed_head_bytes; /* pending above this (half the ring): capture TL_PRESSURE_HEAD_CAPTURE bytes at most */
	__u32 shed_all_bytes; /* pending above this (85% of the ring): capture no payload */
	__u32 reserved;
};

/* Value of `ctx_regions` (key: tgid): where that process mapped its thread-context region (thread_context.h). */
struct tl_ctx_region {
	__u64 base; /* the region's address in the process */
	__u32 slot_count; /* a power of two */
	__u32 reserved;
};

struct tl_event {
	__u64 ts_ns; /* CLOCK_MONOTONIC: when the send/receive returned, or the connection changed state */
	__u64 sock_id; /* kernel address of struct sock: identity of this socket end while open */
	__s64 bytes; /* DATA: bytes moved; lifecycle: 0 */
	__u32 pid; /* tgid; 0 when the TCP stack raised the event outside any process (ACCEPT, a reset) */
	__u32 tid;
	__s32 fd; /* the process's fd of the socket, or -1 when the call is not one of enum tl_syscall */
	__u32 seq; /* TCP seq of the first byte moved (sender's write_seq, receiver's copied_seq) */
	__u32 captured; /* payload bytes following this header */
	__u16 type; /* enum tl_event_type */
	__u16 syscall; /* enum tl_syscall */
	__u16 direction; /* enum tl_direction */
	__u16 family; /* AF_INET (2) or AF_INET6 (10) */
	__u16 lport; /* host order */
	__u16 rport; /* host order */
	__u8 laddr[16]; /* IPv4 in the first 4 bytes, or IPv6 (possibly v4-mapped) */
	__u8 raddr[16];
	char comm[16];
	/* DATA: the span current on the calling thread, from its thread-context record (thread_context.h) */
	__u8 trace_id[16];
	__u8 span_id[8];
	__u8 trace_flags;
	__u8 stamped; /* 1: the ids above are the calling thread's valid record; 0: no stamp (ids zero) */
	__u8 reserved[2];
	/*
	 * DATA: the socket's counter in the other direction when the call returned (a send: copied_seq; a receive:
	 * write_seq). It tells where the other direction's next call starts, so that a first message lost from the
	 * ring shows as a gap there like any later one.
	 */
	__u32 peer_seq;
	/* followed by `captured` payload bytes */
};

#define TL_EVENT_HEADER_SIZE 136

_Static_assert(__builtin_offsetof(struct tl_event, ts_ns) == 0, "ts_ns");
_Static_assert(__builtin_offsetof(struct tl_event, sock_id) == 8, "sock_id");
_Static_assert(__builtin_offsetof(struct tl_event, bytes) == 16, "bytes");
_Static_assert(__builtin_offsetof(struct tl_event, pid) == 24, "pid");
_Static_assert(__builtin_offsetof(struct tl_event, tid) == 28, "tid");
_Static_assert(__builtin_offsetof(struct tl_event, fd) == 32, "fd");
_Static_assert(__builtin_offsetof(struct tl_event, seq) == 36, "seq");
_Static_assert(__builtin_offsetof(struct tl_event, captured) == 40, "captured");
_Static_assert(__builtin_offsetof(struct tl_event, type) == 44, "type");
_Static_assert(__builtin_offsetof(struct tl_event, syscall) == 46, "syscall");
_Static_assert(__builtin_offsetof(struct tl_event, direction) == 48, "direction");
_Static_assert(__builtin_offsetof(struct tl_event, family) == 50, "family");
_Static_assert(__builtin_offsetof(struct tl_event, lport) == 52, "lport");
_Static_assert(__builtin_offsetof(struct tl_event, rport) == 54, "rport");
_Static_assert(__builtin_offsetof(struct tl_event, laddr) == 56, "laddr");
_Static_assert(__builtin_offsetof(struct tl_event, raddr) == 72, "raddr");
_Static_assert(__builtin_offsetof(struct tl_event, comm) == 88, "comm");
_Static_assert(__builtin_offsetof(struct tl_event, trace_id) == 104, "trace_id");
_Static_assert(__builtin_offsetof(struct tl_event, span_id) == 120, "span_id");
_Static_assert(__builtin_offsetof(struct tl_event, trace_flags) == 128, "trace_flags");
_Static_assert(__builtin_offsetof(struct tl_event, stamped) == 129, "stamped");
_Static_assert(__builtin_offsetof(struct tl_event, peer_seq) == 132, "peer_seq");
_Static_assert(sizeof(struct tl_event) == TL_EVENT_HEADER_SIZE, "header size");

#endif /* THREADLINE_SOCKET_TRACE_H */
