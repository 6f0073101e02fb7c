/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The contract between socket_trace.bpf.c and the Java decoder
 * (dev.threadline.bridge.decode.EventLayout): every ring-buffer record is one struct tl_event
 * header followed by `captured` payload bytes, little-endian, no padding.
 *
 * The _Static_assert lines pin each offset; EventLayoutTest reads them from this file and
 * checks the Java constants, so the two sides cannot drift apart silently.
 */
#ifndef THREADLINE_SOCKET_TRACE_H
#define THREADLINE_SOCKET_TRACE_H

/* Payload capture: default first N bytes per syscall, and the hard cap for N. */
#define TL_DEFAULT_CAPTURE 1024
#define TL_MAX_CAPTURE 16384
/* iovec entries walked per readv/writev/sendmsg/recvmsg (later ones are counted, not copied). */
#define TL_MAX_IOVECS 16

enum tl_event_type {
	TL_EVENT_DATA = 1,    /* bytes moved on a TCP socket */
	TL_EVENT_ACCEPT = 2,  /* accept/accept4 returned a TCP socket: this side is the server */
	TL_EVENT_CONNECT = 3, /* connect succeeded or is in progress: this side is the client */
	TL_EVENT_CLOSE = 4,   /* close(fd) of a TCP socket */
};

enum tl_direction {
	TL_EGRESS = 0,  /* the traced process sent the bytes */
	TL_INGRESS = 1, /* the traced process received the bytes */
};

enum tl_syscall {
	TL_SYS_READ = 1,
	TL_SYS_WRITE = 2,
	TL_SYS_READV = 3,
	TL_SYS_WRITEV = 4,
	TL_SYS_SENDTO = 5,
	TL_SYS_RECVFROM = 6,
	TL_SYS_SENDMSG = 7,
	TL_SYS_RECVMSG = 8,
	TL_SYS_ACCEPT = 9,
	TL_SYS_ACCEPT4 = 10,
	TL_SYS_CONNECT = 11,
	TL_SYS_CLOSE = 12,
	TL_SYS_SENDFILE = 13, /* bytes counted, no payload (it comes from a file, not user memory) */
};

/* Process filter modes (tl_config.pid_mode). */
enum tl_pid_mode {
	TL_PIDS_ALL_BUT_SELF = 0, /* every process except tl_config.self_pid (the bridge) */
	TL_PIDS_LISTED = 1,       /* only the tgids present in the `pids` map */
};

/* Single entry of the `config` array map, written by the loader before attaching. */
struct tl_config {
	__u32 capture_bytes; /* N: payload bytes copied per syscall, <= TL_MAX_CAPTURE */
	__u32 pid_mode;      /* enum tl_pid_mode */
	__u32 self_pid;      /* tgid of the bridge */
	__u32 port_filter;   /* non-zero: keep only sockets whose local or remote port is in `ports` */
};

struct tl_event {
	__u64 enter_ns;  /* CLOCK_MONOTONIC at sys_enter */
	__u64 exit_ns;   /* CLOCK_MONOTONIC at sys_exit */
	__u64 sock_id;   /* kernel address of struct sock: identity of this socket end while open */
	__s64 bytes;     /* DATA: bytes moved (syscall return); others: syscall return value */
	__u32 pid;       /* tgid */
	__u32 tid;
	__s32 fd;
	__u32 seq;       /* TCP seq of the first byte moved (write_seq / copied_seq at sys_enter) */
	__u32 captured;  /* payload bytes following this header */
	__u16 type;      /* enum tl_event_type */
	__u16 syscall;   /* enum tl_syscall */
	__u16 direction; /* enum tl_direction */
	__u16 family;    /* AF_INET (2) or AF_INET6 (10) */
	__u16 lport;     /* host order */
	__u16 rport;     /* host order */
	__u8 laddr[16];  /* IPv4 in the first 4 bytes, or IPv6 (possibly v4-mapped) */
	__u8 raddr[16];
	char comm[16];
	/* followed by `captured` payload bytes */
};

#define TL_EVENT_HEADER_SIZE 112

_Static_assert(__builtin_offsetof(struct tl_event, enter_ns) == 0, "enter_ns");
_Static_assert(__builtin_offsetof(struct tl_event, exit_ns) == 8, "exit_ns");
_Static_assert(__builtin_offsetof(struct tl_event, sock_id) == 16, "sock_id");
_Static_assert(__builtin_offsetof(struct tl_event, bytes) == 24, "bytes");
_Static_assert(__builtin_offsetof(struct tl_event, pid) == 32, "pid");
_Static_assert(__builtin_offsetof(struct tl_event, tid) == 36, "tid");
_Static_assert(__builtin_offsetof(struct tl_event, fd) == 40, "fd");
_Static_assert(__builtin_offsetof(struct tl_event, seq) == 44, "seq");
_Static_assert(__builtin_offsetof(struct tl_event, captured) == 48, "captured");
_Static_assert(__builtin_offsetof(struct tl_event, type) == 52, "type");
_Static_assert(__builtin_offsetof(struct tl_event, syscall) == 54, "syscall");
_Static_assert(__builtin_offsetof(struct tl_event, direction) == 56, "direction");
_Static_assert(__builtin_offsetof(struct tl_event, family) == 58, "family");
_Static_assert(__builtin_offsetof(struct tl_event, lport) == 60, "lport");
_Static_assert(__builtin_offsetof(struct tl_event, rport) == 62, "rport");
_Static_assert(__builtin_offsetof(struct tl_event, laddr) == 64, "laddr");
_Static_assert(__builtin_offsetof(struct tl_event, raddr) == 80, "raddr");
_Static_assert(__builtin_offsetof(struct tl_event, comm) == 96, "comm");
_Static_assert(sizeof(struct tl_event) == TL_EVENT_HEADER_SIZE, "header size");

#endif /* THREADLINE_SOCKET_TRACE_H */
