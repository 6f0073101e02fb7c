// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Socket tracing on the kernel's socket tracepoints (kprobes/fentry are not available on our kernels).
 *
 * Data: sock:sock_send_length and sock:sock_recv_length fire in the calling thread when a send or receive on a
 * socket returns, with the struct sock and the byte count. Every way user space moves bytes over TCP passes there:
 * read/write, readv/writev, sendto/recvfrom, sendmsg/recvmsg, sendfile, io_uring. The thread's saved syscall
 * registers tell which call it was, its fd and where its buffer is; the first N payload bytes are copied from that
 * buffer straight into a ring-buffer record, and the TCP seq of the first byte is the socket's counter minus the
 * bytes just moved.
 *
 * Lifecycle: sock:inet_sock_set_state, the TCP state machine. CLOSE -> SYN_SENT is a connect (in the connecting
 * thread), SYN_RECV -> ESTABLISHED an accepted connection (in softirq: no process yet), and the transitions in
 * connection_ends() its end; tcp:tcp_destroy_sock reports every other end, when the socket is freed.
 *
 * Why not syscall tracepoints: a program on any syscall tracepoint sends every syscall of every process through
 * the slow path, and the per-syscall events fan out through perf's trace buffer; on our machines empty programs
 * there cost more than all this program does on top of its own tracepoints (docs/benchmarks.md). Here unrelated
 * syscalls pay nothing.
 *
 * Split by responsibility: user_call.h reads the calling thread's syscall, ring_record.h writes the records.
 */
#include "vmlinux_subset.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "socket_trace.h"
#include "thread_context.h"
#include "user_call.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define SOCK_STREAM 1
#define CLONE_THREAD 0x00010000
#define MSG_PEEK 2
#define MSG_ERRQUEUE 0x2000
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

char LICENSE[] SEC("license") = "Dual BSD/GPL";

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

/* Payload reductions under pressure, by enum tl_reduction; per CPU, so counting touches no shared line. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TL_REDUCTION_LEVELS);
	__type(key, __u32);
	__type(value, __u64);
} reduced SEC(".maps");

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

/* Thread-context regions of the processes that publish one, written by the bridge (ThreadContextRegions). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TL_CTX_MAX_PROCESSES);
	__type(key, __u32);
	__type(value, struct tl_ctx_region);
} ctx_regions SEC(".maps");

#include "ring_record.h" /* after the maps it writes to */

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
	return (family == AF_INET || family == AF_INET6) && sk->sk_protocol == IPPROTO_TCP &&
	       sk->sk_type == SOCK_STREAM;
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
 * The span current on the calling thread, from its slot of its process's thread-context region: the slot is one of
 * TL_CTX_PROBES from tid & (slot_count - 1), trusted only when it names this very thread (tid and start time: a dead
 * thread's slot, or a reused tid, never stamps) and its record is valid. The thread is inside this syscall, so it
 * is not writing its record now.
 */
static __always_inline void stamp_context(struct task_struct *task, struct tl_event *e)
{
	/* The ids, trace_flags, stamped and the reserved bytes after them; not peer_seq, which is set already. */
	__builtin_memset(e->trace_id, 0,
			 __builtin_offsetof(struct tl_event, peer_seq) - __builtin_offsetof(struct tl_event, trace_id));
	__u32 tgid = task->tgid;
	struct tl_ctx_region *region = bpf_map_lookup_elem(&ctx_regions, &tgid);
	if (!region)
		return;
	__u32 tid = task->pid;
	__u32 mask = region->slot_count - 1;
	__u64 base = region->base + TL_CTX_HEADER_SIZE;
	for (int i = 0; i < TL_CTX_PROBES; i++) {
		__u64 addr = base + (__u64)((tid + i) & mask) * TL_CTX_SLOT_SIZE;
		/* One read of the slot's head and record: each read of a page the syscall did not touch costs a TLB miss. */
		struct tl_ctx_slot slot;
		if (bpf_probe_read_user(&slot, __builtin_offsetof(struct tl_ctx_slot, padding), (void *)addr))
			return;
		if (slot.owner_tid != tid)
			continue;
		/* owner_start == start_boottime / TL_CTX_NS_PER_TICK, without a 64-bit division on every event. */
		if (task->start_boottime - slot.owner_start * TL_CTX_NS_PER_TICK >= TL_CTX_NS_PER_TICK ||
		    slot.record.valid != 1)
			return;
		__builtin_memcpy(e->trace_id, slot.record.trace_id, sizeof(e->trace_id));
		__builtin_memcpy(e->span_id, slot.record.span_id, sizeof(e->span_id));
		e->trace_flags = slot.record.trace_flags;
		e->stamped = 1;
		return;
	}
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
	e.peer_seq = direction == TL_EGRESS ? tp->copied_seq : tp->write_seq;
	e.type = TL_EVENT_DATA;
	e.direction = direction;
	fill_task(&e, task);
	stamp_context(task, &e);
	__u32 want = cfg->capture_bytes;
	if (want > TL_MAX_CAPTURE)
		want = TL_MAX_CAPTURE;
	if ((__u32)ret < want)
		want = ret;
	/* One look at the ring per event: it decides both the shedding and the wake-up. */
	__u64 pending = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	if (b.addr != 0)
		want = shed_payload(cfg, pending, want);
	return emit(pending >= cfg->wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP, &e, &b, want);
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
		return oldstate == TCP_ESTABLISHED || oldstate == TCP_CLOSE_WAIT || oldstate == TCP_SYN_SENT ||
		       oldstate == TCP_SYN_RECV;
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
