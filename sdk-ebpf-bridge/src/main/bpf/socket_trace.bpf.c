// SPDX-License-Identifier: Apache-2.0
/*
 * Socket tracing on the kernel's socket tracepoints (kprobes/fentry are not available on our kernels).
 *
 * Data: sock:sock_send_length and sock:sock_recv_length fire in the calling thread when a send or receive on a
 * socket returns, with the struct sock and the byte count. Every way user space moves bytes over TCP passes there:
 * read/write, readv/writev, sendto/recvfrom, sendmsg/recvmsg, sendfile, io_uring. The thread's saved syscall registers tell which call it
 * was, its fd and where its buffer is; the first N payload bytes are copied from that buffer straight into a
 * ring-buffer record, and the TCP seq of the first byte is the socket's counter minus the bytes just moved.
 *
 * Lifecycle: sock:inet_sock_set_state, the TCP state machine. CLOSE -> SYN_SENT is a connect (in the connecting
 * thread), SYN_RECV -> ESTABLISHED an accepted connection (in softirq: no process yet), and the transitions in
 * connection_ends() its end; tcp:tcp_destroy_sock reports every other end, when the socket is freed.
 *
 * Why not syscall tracepoints: a program on any syscall tracepoint sends every syscall of every process through
 * the slow path, and the per-syscall events fan out through perf's trace buffer; on our machines that alone costs
 * more than the whole program here (docs/benchmarks.md). Here unrelated syscalls pay nothing.
 *
 * The syscall numbers and registers below are x86_64's (see Preflight).
 */
#include "vmlinux_subset.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "socket_trace.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define SOCK_STREAM 1
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define CLONE_THREAD 0x00010000
#define MSG_PEEK 2
#define MSG_ERRQUEUE 0x2000
#define TS_COMPAT 0x0002
#define PF_IO_WORKER 0x00000010
#define PF_KTHREAD 0x00200000
#define RCV_SHUTDOWN 1

enum {
	TCP_ESTABLISHED = 1,
	TCP_SYN_SENT = 2,
	TCP_SYN_RECV = 3,
	TCP_FIN_WAIT1 = 4,
	TCP_CLOSE = 7,
	TCP_CLOSE_WAIT = 8,
	TCP_LAST_ACK = 9,
};

/* x86_64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
#define NR_READ 0
#define NR_WRITE 1
#define NR_READV 19
#define NR_WRITEV 20
#define NR_SENDFILE 40
#define NR_CONNECT 42
#define NR_SENDTO 44
#define NR_RECVFROM 45
#define NR_SENDMSG 46
#define NR_RECVMSG 47

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tl_config);
} config SEC(".maps");

/* Bit per tgid traced when pid_mode == TL_PIDS_LISTED; written by the loader through mmap(). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, TL_PID_BITMAP_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} pids SEC(".maps");

/* Bit per port kept when port_filter is set (local or remote side). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TL_PORT_BITMAP_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} ports SEC(".maps");

/* Events lost because the ring buffer was full; index 0. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

/* Size is a default; the loader may override it (TraceConfig.ringBufferBytes). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024 * 1024);
} events SEC(".maps");

/* Sockets whose end was reported: the state change and the destroy of one socket both signal it. */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u8);
} ended SEC(".maps");

/* User-space struct msghdr / iovec (LP64 layout). */
struct user_msghdr {
	void *msg_name;
	int msg_namelen;
	void *msg_iov;
	__u64 msg_iovlen;
};

struct user_iovec {
	void *iov_base;
	__u64 iov_len;
};

/* Where the bytes of one send or receive are in user memory. */
struct user_buffer {
	__u64 addr;     /* the buffer, or the iovec array when iovcnt > 0; 0 when there is nothing to copy */
	__u32 iovcnt;
};

/* Reinterprets a kernel address as a BTF-typed, read-only pointer (kernel 6.2+), for cheap checked loads. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

#define AS_BTF(ptr, type) ((type *)bpf_rdonly_cast((void *)(ptr), bpf_core_type_id_kernel(type)))

static __always_inline struct tl_config *get_config(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&config, &zero);
}

/* Array lookups are inlined by the verifier: a bit test costs a few instructions. */
static __always_inline __u64 *bit_word(void *bitmap, __u32 bit)
{
	__u32 word = bit >> 6;
	return bpf_map_lookup_elem(bitmap, &word);
}

static __always_inline bool bit_set(void *bitmap, __u32 bit)
{
	__u64 *word = bit_word(bitmap, bit);
	return word && ((*word >> (bit & 63)) & 1);
}

static __always_inline bool pid_wanted(struct tl_config *cfg, __u32 tgid)
{
	if (cfg->pid_mode == TL_PIDS_LISTED)
		return bit_set(&pids, tgid);
	return tgid != cfg->self_pid;
}

static __always_inline bool tcp_stream(const struct sock *sk)
{
	unsigned short family = sk->__sk_common.skc_family;
	return (family == AF_INET || family == AF_INET6) && sk->sk_protocol == IPPROTO_TCP
	       && sk->sk_type == SOCK_STREAM;
}

/* The local port; once a closing socket is unhashed skc_num reads 0, but inet_sport still holds it. */
static __always_inline __u16 local_port(const struct sock *sk)
{
	__u16 port = sk->__sk_common.skc_num;
	return port ? port : __builtin_bswap16(AS_BTF(sk, struct inet_sock)->inet_sport);
}

/* The socket's identity, ports and addresses into e; false when the port filter rejects it. */
static __always_inline bool fill_socket(struct tl_config *cfg, const struct sock *sk, struct tl_event *e)
{
	const struct sock_common *skc = &sk->__sk_common;
	e->sock_id = (__u64)sk;
	e->family = skc->skc_family;
	e->lport = local_port(sk);
	e->rport = __builtin_bswap16(skc->skc_dport);
	if (cfg->port_filter && !bit_set(&ports, e->lport) && !bit_set(&ports, e->rport))
		return false;
	__u32 *l = (__u32 *)e->laddr;
	__u32 *r = (__u32 *)e->raddr;
	if (e->family == AF_INET) {
		l[0] = skc->skc_rcv_saddr;
		r[0] = skc->skc_daddr;
		l[1] = l[2] = l[3] = 0;
		r[1] = r[2] = r[3] = 0;
	} else {
		for (int i = 0; i < 4; i++) {
			l[i] = skc->skc_v6_rcv_saddr.in6_u.u6_addr32[i];
			r[i] = skc->skc_v6_daddr.in6_u.u6_addr32[i];
		}
	}
	return true;
}

/* The thread's ids and name; the name as two plain loads (a racing rename may tear it, which is harmless). */
static __always_inline void fill_task(struct tl_event *e, struct task_struct *task)
{
	e->pid = task->tgid;
	e->tid = task->pid;
	__builtin_memcpy(e->comm, task->comm, sizeof(e->comm));
}

/*
 * Which call of the current thread moved the bytes, from its saved registers: the syscall, the fd and the user
 * buffer. A user socket moves bytes only through calls on its own fd (or io_uring and splice, which are not in this
 * list), so a data syscall in the right direction is this socket's. The kernel's own sockets (NFS, CIFS) send and
 * receive inside unrelated calls; they, kernel threads and the calls not listed get TL_SYS_NONE, fd -1 and no
 * buffer: their bytes still count, only the payload is unknown.
 */
static __always_inline void find_call(struct task_struct *task, const struct sock *sk, __u16 direction,
				      struct tl_event *e, struct user_buffer *b)
{
	e->syscall = TL_SYS_NONE;
	e->fd = -1;
	b->addr = 0;
	b->iovcnt = 0;
	if ((task->flags & (PF_KTHREAD | PF_IO_WORKER)) || (task->thread_info.status & TS_COMPAT)
	    || BPF_CORE_READ_BITFIELD(sk, sk_kern_sock))
		return;
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	long nr = regs->orig_ax;
	__u16 syscall;
	__u64 addr = regs->si;
	__u32 iovcnt = 0;
	struct user_msghdr msg;
	switch (nr) {
	case NR_READ:
		syscall = TL_SYS_READ;
		break;
	case NR_WRITE:
		syscall = TL_SYS_WRITE;
		break;
	case NR_READV:
		syscall = TL_SYS_READV;
		iovcnt = regs->dx > 1024 ? 1024 : (__u32)regs->dx;
		break;
	case NR_WRITEV:
		syscall = TL_SYS_WRITEV;
		iovcnt = regs->dx > 1024 ? 1024 : (__u32)regs->dx;
		break;
	case NR_SENDTO:
		syscall = TL_SYS_SENDTO;
		break;
	case NR_RECVFROM:
		syscall = TL_SYS_RECVFROM;
		break;
	case NR_SENDMSG:
	case NR_RECVMSG:
		syscall = nr == NR_SENDMSG ? TL_SYS_SENDMSG : TL_SYS_RECVMSG;
		addr = 0;
		if (!bpf_probe_read_user(&msg, sizeof(msg), (void *)regs->si) && msg.msg_iovlen > 0) {
			addr = (__u64)msg.msg_iov;
			iovcnt = msg.msg_iovlen > 1024 ? 1024 : (__u32)msg.msg_iovlen;
		}
		break;
	case NR_SENDFILE:
		syscall = TL_SYS_SENDFILE;
		addr = 0; /* the bytes come from a file, not from user memory */
		break;
	default:
		return;
	}
	bool sends = syscall == TL_SYS_WRITE || syscall == TL_SYS_WRITEV || syscall == TL_SYS_SENDTO
		     || syscall == TL_SYS_SENDMSG || syscall == TL_SYS_SENDFILE;
	if (sends != (direction == TL_EGRESS))
		return;
	e->syscall = syscall;
	e->fd = (int)regs->di;
	b->addr = addr;
	b->iovcnt = iovcnt;
}

/*
 * Wake the reader only once an eighth of the ring has piled up. By default a record wakes a reader that has caught
 * up, and that wake-up costs more than the record itself; the reader also polls on a short timeout, so records
 * written in a quiet period are still read within that timeout.
 */
static __always_inline __u64 wakeup_flags(struct tl_config *cfg)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg->wakeup_bytes ? BPF_RB_FORCE_WAKEUP
										   : BPF_RB_NO_WAKEUP;
}

static __always_inline int count_lost(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&lost, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

/* Copies up to `want` (<= cap) bytes spread over `iovcnt` user iovecs into dst[2 * cap]; returns bytes copied. */
static __always_inline __u32 copy_iovecs(__u8 *dst, __u32 cap, __u64 uiov, __u32 iovcnt, __u32 want)
{
	__u32 off = 0;
	for (int i = 0; i < TL_MAX_IOVECS; i++) {
		if (i >= iovcnt || off >= want)
			break;
		struct user_iovec iov = {};
		if (bpf_probe_read_user(&iov, sizeof(iov), (void *)(uiov + i * sizeof(iov))))
			break;
		__u64 chunk = iov.iov_len;
		if (chunk > want - off)
			chunk = want - off;
		if (chunk == 0)
			continue;
		/* Masks make both bounds visible to the verifier: off < cap and chunk < cap, so the copy ends in dst. */
		if (chunk >= cap) {
			if (bpf_probe_read_user(dst, cap, iov.iov_base))
				break;
			off = cap;
			break;
		}
		if (bpf_probe_read_user(dst + (off & (cap - 1)), chunk & (cap - 1), iov.iov_base))
			break;
		off += chunk;
	}
	return off;
}

/*
 * min(v, max), written in assembly: clang knows v <= max already (the caller chose the size class by it) and would
 * drop a C comparison, leaving the verifier without the bound it needs for the copy length.
 */
static __always_inline __u32 clamp_for_verifier(__u32 v, const __u32 max)
{
	asm volatile("if %0 <= %1 goto +1; %0 = %1" : "+r"(v) : "i"(max));
	return v;
}

/*
 * A ring-buffer reservation needs a size known to the verifier, so a record is reserved in the smallest size class
 * that holds its payload; the reader goes by tl_event.captured. A plain buffer may fill its class. An iovec gather
 * uses half of it at most (it needs the slack to prove its bounds), and has only three classes, because each one
 * is a loop the verifier walks through.
 */
#define RECORD(size)                                                                                 \
	struct record_##size {                                                                       \
		struct tl_event hdr;                                                                 \
		__u8 payload[size];                                                                  \
	};

#define BUFFER_CLASS(size)                                                                           \
	RECORD(size)                                                                                 \
	static __always_inline int emit_buffer_##size(struct tl_config *cfg, struct tl_event *hdr, __u64 addr, \
						      __u32 want)                                        \
	{                                                                                            \
		struct record_##size *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);              \
		if (!r)                                                                              \
			return count_lost();                                                         \
		__builtin_memcpy(&r->hdr, hdr, sizeof(*hdr));                                        \
		want = clamp_for_verifier(want, size);                                               \
		r->hdr.captured = bpf_probe_read_user(r->payload, want, (void *)addr) ? 0 : want;    \
		bpf_ringbuf_submit(r, wakeup_flags(cfg));                                               \
		return 0;                                                                            \
	}

#define IOVEC_CLASS(size)                                                                            \
	static __always_inline int emit_iovecs_##size(struct tl_config *cfg, struct tl_event *hdr,       \
						      struct user_buffer *b, __u32 want)                 \
	{                                                                                            \
		struct record_##size *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);              \
		if (!r)                                                                              \
			return count_lost();                                                         \
		__builtin_memcpy(&r->hdr, hdr, sizeof(*hdr));                                        \
		r->hdr.captured = copy_iovecs(r->payload, size / 2, b->addr, b->iovcnt, want);       \
		bpf_ringbuf_submit(r, wakeup_flags(cfg));                                               \
		return 0;                                                                            \
	}

BUFFER_CLASS(128)
BUFFER_CLASS(256)
BUFFER_CLASS(512)
BUFFER_CLASS(1024)
BUFFER_CLASS(2048)
BUFFER_CLASS(4096)
BUFFER_CLASS(8192)
BUFFER_CLASS(16384)
RECORD(32768)
IOVEC_CLASS(256)
IOVEC_CLASS(2048)
IOVEC_CLASS(32768)

static __always_inline int emit(struct tl_config *cfg, struct tl_event *hdr, struct user_buffer *b, __u32 want)
{
	if (want == 0 || b->addr == 0) {
		hdr->captured = 0;
		if (bpf_ringbuf_output(&events, hdr, sizeof(*hdr), wakeup_flags(cfg)))
			count_lost();
		return 0;
	}
	if (b->iovcnt > 0) {
		if (want <= 128)
			return emit_iovecs_256(cfg, hdr, b, want);
		if (want <= 1024)
			return emit_iovecs_2048(cfg, hdr, b, want);
		return emit_iovecs_32768(cfg, hdr, b, want);
	}
	if (want <= 128)
		return emit_buffer_128(cfg, hdr, b->addr, want);
	if (want <= 256)
		return emit_buffer_256(cfg, hdr, b->addr, want);
	if (want <= 512)
		return emit_buffer_512(cfg, hdr, b->addr, want);
	if (want <= 1024)
		return emit_buffer_1024(cfg, hdr, b->addr, want);
	if (want <= 2048)
		return emit_buffer_2048(cfg, hdr, b->addr, want);
	if (want <= 4096)
		return emit_buffer_4096(cfg, hdr, b->addr, want);
	if (want <= 8192)
		return emit_buffer_8192(cfg, hdr, b->addr, want);
	return emit_buffer_16384(cfg, hdr, b->addr, want);
}

static __always_inline int on_data(struct sock *sk, int ret, int flags, __u16 direction)
{
	/* Nothing moved; or a peek, which leaves the bytes for the next read; or the error queue, not the stream. */
	if (ret <= 0 || (direction == TL_INGRESS && (flags & (MSG_PEEK | MSG_ERRQUEUE))))
		return 0;
	if (!tcp_stream(sk))
		return 0;
	struct tl_config *cfg = get_config();
	struct task_struct *task = bpf_get_current_task_btf();
	if (!cfg || !pid_wanted(cfg, task->tgid))
		return 0;
	struct tl_event e;
	if (!fill_socket(cfg, sk, &e))
		return 0;
	struct user_buffer b;
	find_call(task, sk, direction, &e, &b);
	e.ts_ns = bpf_ktime_get_ns();
	e.bytes = ret;
	/* The call has moved the counter past its bytes: the first of them is `ret` back (mod 2^32). */
	struct tcp_sock *tp = AS_BTF(sk, struct tcp_sock);
	e.seq = (direction == TL_EGRESS ? tp->write_seq : tp->copied_seq) - (__u32)ret;
	e.type = TL_EVENT_DATA;
	e.direction = direction;
	fill_task(&e, task);
	__u32 want = cfg->capture_bytes;
	if (want > TL_MAX_CAPTURE)
		want = TL_MAX_CAPTURE;
	if ((__u32)ret < want)
		want = ret;
	return emit(cfg, &e, &b, want);
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(tl_sock_send, struct sock *sk, int ret, int flags)
{
	return on_data(sk, ret, flags, TL_EGRESS);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(tl_sock_recv, struct sock *sk, int ret, int flags)
{
	return on_data(sk, ret, flags, TL_INGRESS);
}

/*
 * Whether this transition ends the connection for this end, as soon as that is known:
 *  - FIN_WAIT1 / LAST_ACK with the receive side shut: close(), or the last of both directions (a shutdown(SHUT_WR)
 *    alone leaves the response to come, and is not the end);
 *  - CLOSE from an open state: a reset sent or received, or a refused connect.
 * Every other end (a half-closed socket closed later) is reported when the socket is destroyed, below.
 */
static __always_inline bool connection_ends(const struct sock *sk, int oldstate, int newstate)
{
	switch (newstate) {
	case TCP_FIN_WAIT1:
	case TCP_LAST_ACK:
		return sk->sk_shutdown & RCV_SHUTDOWN;
	case TCP_CLOSE:
		return oldstate == TCP_ESTABLISHED || oldstate == TCP_CLOSE_WAIT || oldstate == TCP_SYN_SENT
		       || oldstate == TCP_SYN_RECV;
	default:
		return false;
	}
}

/* A lifecycle record for sk. CONNECT names the connecting thread; the others name the socket only. */
static __always_inline int emit_lifecycle(const struct sock *sk, __u16 type)
{
	if (!tcp_stream(sk))
		return 0;
	struct tl_config *cfg = get_config();
	if (!cfg)
		return 0;
	struct tl_event e = {};
	e.fd = -1;
	if (!fill_socket(cfg, sk, &e))
		return 0;
	if (type == TL_EVENT_CLOSE) {
		__u8 *reported = bpf_sk_storage_get(&ended, (void *)sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
		if (reported && *reported)
			return 0;
		if (reported)
			*reported = 1;
	}
	/*
	 * A connect runs in the connecting thread, which the process filter applies to. The other changes may happen
	 * in softirq, on whatever thread the CPU was running: they name the socket only (pid 0), and the reader
	 * ignores the sockets it does not know.
	 */
	if (type == TL_EVENT_CONNECT) {
		struct task_struct *task = bpf_get_current_task_btf();
		if (!pid_wanted(cfg, task->tgid))
			return 0;
		fill_task(&e, task);
		if (!(task->flags & (PF_KTHREAD | PF_IO_WORKER)) && !(task->thread_info.status & TS_COMPAT)) {
			struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
			if (regs->orig_ax == NR_CONNECT) {
				e.syscall = TL_SYS_CONNECT;
				e.fd = (int)regs->di;
			}
		}
	}
	e.ts_ns = bpf_ktime_get_ns();
	e.type = type;
	if (bpf_ringbuf_output(&events, &e, sizeof(e), wakeup_flags(cfg)))
		count_lost();
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(tl_sock_state, const struct sock *sk, int oldstate, int newstate)
{
	if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT)
		return emit_lifecycle(sk, TL_EVENT_CONNECT);
	if (oldstate == TCP_SYN_RECV && newstate == TCP_ESTABLISHED)
		return emit_lifecycle(sk, TL_EVENT_ACCEPT);
	if (connection_ends(sk, oldstate, newstate))
		return emit_lifecycle(sk, TL_EVENT_CLOSE);
	return 0;
}

/*
 * The socket is freed: its process has closed it and TCP is done with it. Reported unless its end was reported
 * above; in any case before the kernel reuses its address for another socket.
 */
SEC("tp_btf/tcp_destroy_sock")
int BPF_PROG(tl_sock_destroy, struct sock *sk)
{
	return emit_lifecycle(sk, TL_EVENT_CLOSE);
}

/*
 * Listed processes bring their children: `--pid <nginx master>` must also cover the workers it forks later (on
 * reload, or after a crash). Threads share the tgid and need no bit.
 */
SEC("tp_btf/task_newtask")
int BPF_PROG(tl_task_newtask, struct task_struct *task, __u64 clone_flags)
{
	struct tl_config *cfg = get_config();
	if (!cfg || cfg->pid_mode != TL_PIDS_LISTED || (clone_flags & CLONE_THREAD))
		return 0;
	if (!bit_set(&pids, bpf_get_current_pid_tgid() >> 32))
		return 0;
	__u32 child = task->pid;
	__u64 *word = bit_word(&pids, child);
	if (word)
		__sync_fetch_and_or(word, 1ULL << (child & 63));
	return 0;
}

/* A listed process whose last thread exits loses its bit (its pid may be reused by anything). */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(tl_process_exit, struct task_struct *task)
{
	if (task->signal->live.counter != 0)
		return 0;
	__u32 tgid = task->tgid;
	__u64 *word = bit_word(&pids, tgid);
	if (word && ((*word >> (tgid & 63)) & 1))
		__sync_fetch_and_and(word, ~(1ULL << (tgid & 63)));
	return 0;
}
