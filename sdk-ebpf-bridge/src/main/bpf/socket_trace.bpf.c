// SPDX-License-Identifier: Apache-2.0
/*
 * Socket tracing on syscall tracepoints (kprobes/fentry are not available on our kernels).
 *
 * sys_enter_*: filter the process, resolve fd -> struct sock, keep only TCP stream sockets,
 *              remember the user buffer (or iovec array) and the TCP sequence number of the
 *              first byte in a per-thread `active` entry.
 * sys_exit_*:  if bytes moved, copy the first N payload bytes (they only exist in a read
 *              buffer after the syscall returned) and emit one record on the ring buffer.
 */
#include "vmlinux_subset.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "socket_trace.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define SOCK_STREAM 1
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define EINPROGRESS 115
#define CLONE_THREAD 0x00010000

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tl_config);
} config SEC(".maps");

/* tgids to trace when pid_mode == TL_PIDS_LISTED. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} pids SEC(".maps");

/* Ports to keep when port_filter is set (local or remote side). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u16);
	__type(value, __u8);
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

/*
 * Wake the reader only once an eighth of the ring has piled up. By default a record wakes a reader that has caught
 * up, and that wake-up costs more than the record itself; the reader also polls on a short timeout, so records
 * written in a quiet period are still read within that timeout.
 */
static __always_inline __u64 wakeup_flags(void)
{
	__u64 pending = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	__u64 ring = bpf_ringbuf_query(&events, BPF_RB_RING_SIZE);
	return pending >= (ring >> 3) ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/*
 * Event scratch space, one slot per CPU (the loader sets max_entries to the number of
 * possible CPUs). A plain array rather than a per-CPU array because a per-CPU value is
 * limited to 32 KiB and the payload area must be 2 * TL_MAX_CAPTURE for the verifier to
 * accept a variable offset plus a variable length.
 */
struct scratch_slot {
	struct tl_event hdr;
	__u8 payload[2 * TL_MAX_CAPTURE];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct scratch_slot);
} scratch SEC(".maps");

/* What sys_enter learned, for the matching sys_exit of the same thread. */
struct pending {
	__u64 enter_ns;
	__u64 sock_id;
	__u64 buf;      /* user buffer, or user iovec array when iovcnt > 0 */
	__u32 iovcnt;
	__s32 fd;
	__u32 seq;
	__u16 syscall;
	__u16 direction;
	__u16 family;
	__u16 lport;
	__u16 rport;
	__u16 pad;
	__u8 laddr[16];
	__u8 raddr[16];
};

/* LRU: a thread killed inside a syscall never reaches sys_exit, and must not leak an entry. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64); /* pid_tgid */
	__type(value, struct pending);
} active SEC(".maps");

/* User-space struct msghdr / iovec (x86_64 / arm64 LP64 layout). */
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

static __always_inline struct tl_config *get_config(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&config, &zero);
}

static __always_inline bool pid_wanted(struct tl_config *cfg, __u32 tgid)
{
	if (cfg->pid_mode == TL_PIDS_LISTED)
		return bpf_map_lookup_elem(&pids, &tgid) != 0;
	return tgid != cfg->self_pid;
}

/* Reinterprets a kernel address as a BTF-typed, read-only pointer (kernel 6.2+), for cheap checked loads. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

#define AS_BTF(ptr, type) ((type *)bpf_rdonly_cast((void *)(ptr), bpf_core_type_id_kernel(type)))

/*
 * fd -> struct sock of a TCP stream socket, or NULL. task->files->fdt->fd[fd]->private_data.
 *
 * Every pointer here is BTF-typed (the task from bpf_get_current_task_btf(), the others through
 * bpf_rdonly_cast()): plain member loads from them are checked memory loads that the JIT inlines, several times
 * cheaper than one bpf_probe_read_kernel() call per field, and this runs on every traced syscall. Only the fd
 * array, indexed by a runtime value, still goes through bpf_probe_read_kernel().
 */
static __always_inline struct sock *tcp_sock_of_fd(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = task->files->fdt;
	if (!fdt || fd < 0 || (unsigned int)fd >= fdt->max_fds)
		return 0;
	struct file **fds = fdt->fd;
	struct file *raw_file = 0;
	if (bpf_probe_read_kernel(&raw_file, sizeof(raw_file), &fds[fd]) || !raw_file)
		return 0;
	struct file *file = AS_BTF(raw_file, struct file);
	/* Files that are not sockets (disk, pipes, eventfd) are the vast majority of reads. */
	if ((file->f_inode->i_mode & S_IFMT) != S_IFSOCK)
		return 0;
	void *private_data = file->private_data;
	if (!private_data)
		return 0;
	struct sock *sk = AS_BTF(private_data, struct socket)->sk;
	if (!sk)
		return 0;
	unsigned short family = sk->__sk_common.skc_family;
	if (family != AF_INET && family != AF_INET6)
		return 0;
	if (sk->sk_protocol != IPPROTO_TCP || sk->sk_type != SOCK_STREAM)
		return 0;
	return sk;
}

/* Fills family, ports and addresses; false when the port filter rejects the socket. */
static __always_inline bool read_tuple(struct tl_config *cfg, struct sock *sk, struct pending *p)
{
	p->family = sk->__sk_common.skc_family;
	p->lport = sk->__sk_common.skc_num;
	p->rport = __builtin_bswap16(sk->__sk_common.skc_dport);
	if (cfg->port_filter) {
		__u16 l = p->lport, r = p->rport;
		if (!bpf_map_lookup_elem(&ports, &l) && !bpf_map_lookup_elem(&ports, &r))
			return false;
	}
	if (p->family == AF_INET) {
		__u32 saddr = sk->__sk_common.skc_rcv_saddr;
		__u32 daddr = sk->__sk_common.skc_daddr;
		__builtin_memcpy(p->laddr, &saddr, 4);
		__builtin_memcpy(p->raddr, &daddr, 4);
	} else {
		BPF_CORE_READ_INTO(&p->laddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&p->raddr, sk, __sk_common.skc_v6_daddr);
	}
	return true;
}

/*
 * The TCP socket behind fd, when the calling process is traced and the socket passes the port filter: fills p's
 * tuple, sock_id and fd and returns true.
 */
static __always_inline bool traced_socket(int fd, __u64 pid_tgid, struct pending *p)
{
	struct tl_config *cfg = get_config();
	if (!cfg || !pid_wanted(cfg, pid_tgid >> 32))
		return false;
	struct sock *sk = tcp_sock_of_fd(fd);
	if (!sk || !read_tuple(cfg, sk, p))
		return false;
	p->sock_id = (__u64)sk;
	p->fd = fd;
	return true;
}

static __always_inline int on_enter(int fd, __u64 buf, __u32 iovcnt, __u16 syscall, __u16 direction)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct pending p = {};
	if (!traced_socket(fd, pid_tgid, &p))
		return 0;
	p.enter_ns = bpf_ktime_get_ns();
	p.buf = buf;
	p.iovcnt = iovcnt;
	p.syscall = syscall;
	p.direction = direction;
	/* Seq of the first byte this call moves: the next byte to queue, or the next to copy out. */
	struct tcp_sock *tp = AS_BTF(p.sock_id, struct tcp_sock);
	p.seq = direction == TL_EGRESS ? tp->write_seq : tp->copied_seq;
	bpf_map_update_elem(&active, &pid_tgid, &p, BPF_ANY);
	return 0;
}

static __always_inline int on_enter_msg(int fd, __u64 umsg, __u16 syscall, __u16 direction)
{
	struct user_msghdr msg = {};
	if (bpf_probe_read_user(&msg, sizeof(msg), (void *)umsg))
		return 0;
	__u32 iovcnt = msg.msg_iovlen > 1024 ? 1024 : (__u32)msg.msg_iovlen;
	if (iovcnt == 0)
		return 0;
	return on_enter(fd, (__u64)msg.msg_iov, iovcnt, syscall, direction);
}

static __always_inline struct scratch_slot *get_scratch(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	return bpf_map_lookup_elem(&scratch, &cpu);
}

static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&lost, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
}

static __always_inline void fill_header(struct tl_event *e, struct pending *p, __u64 pid_tgid, __u16 type, __s64 ret)
{
	e->enter_ns = p->enter_ns;
	e->exit_ns = bpf_ktime_get_ns();
	e->sock_id = p->sock_id;
	e->bytes = ret;
	e->pid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->fd = p->fd;
	e->seq = p->seq;
	e->captured = 0;
	e->type = type;
	e->syscall = p->syscall;
	e->direction = p->direction;
	e->family = p->family;
	e->lport = p->lport;
	e->rport = p->rport;
	__builtin_memcpy(e->laddr, p->laddr, 16);
	__builtin_memcpy(e->raddr, p->raddr, 16);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
}

/* Copies up to `want` bytes spread over `iovcnt` user iovecs; returns bytes copied. */
static __always_inline __u32 copy_iovecs(__u8 *dst, __u64 uiov, __u32 iovcnt, __u32 want)
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
		/* Masks make both bounds visible to the verifier: off < MAX and chunk <= MAX. */
		if (chunk >= TL_MAX_CAPTURE) {
			if (bpf_probe_read_user(dst, TL_MAX_CAPTURE, iov.iov_base))
				break;
			off = TL_MAX_CAPTURE;
			break;
		}
		if (bpf_probe_read_user(dst + (off & (TL_MAX_CAPTURE - 1)), chunk & (TL_MAX_CAPTURE - 1), iov.iov_base))
			break;
		off += chunk;
	}
	return off;
}

static __always_inline int on_exit(long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct pending *p = bpf_map_lookup_elem(&active, &pid_tgid);
	if (!p)
		return 0;
	struct tl_config *cfg = get_config();
	struct scratch_slot *s = get_scratch();
	if (ret <= 0 || !cfg || !s) {
		bpf_map_delete_elem(&active, &pid_tgid);
		return 0;
	}
	struct tl_event *e = &s->hdr;
	fill_header(e, p, pid_tgid, TL_EVENT_DATA, ret);
	__u32 want = cfg->capture_bytes;
	if (want > TL_MAX_CAPTURE)
		want = TL_MAX_CAPTURE;
	if ((__u64)ret < want)
		want = ret;
	__u32 got = 0;
	if (p->buf == 0) {
		/* sendfile: nothing in user memory to copy */
	} else if (p->iovcnt == 0) {
		want &= (2 * TL_MAX_CAPTURE - 1);
		if (want > 0 && !bpf_probe_read_user(s->payload, want, (void *)p->buf))
			got = want;
	} else {
		got = copy_iovecs(s->payload, p->buf, p->iovcnt, want);
	}
	bpf_map_delete_elem(&active, &pid_tgid);
	got &= (2 * TL_MAX_CAPTURE - 1);
	e->captured = got;
	if (bpf_ringbuf_output(&events, s, TL_EVENT_HEADER_SIZE + got, wakeup_flags()))
		count_lost();
	return 0;
}

/* Lifecycle record (accept/connect/close) for the socket behind fd. */
static __always_inline int emit_lifecycle(int fd, __u16 type, __u16 syscall, long ret, __u64 enter_ns)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct pending p = {};
	if (!traced_socket(fd, pid_tgid, &p))
		return 0;
	p.enter_ns = enter_ns ? enter_ns : bpf_ktime_get_ns();
	p.syscall = syscall;
	struct tl_event e = {};
	fill_header(&e, &p, pid_tgid, type, ret);
	if (bpf_ringbuf_output(&events, &e, sizeof(e), wakeup_flags()))
		count_lost();
	return 0;
}

#define ENTER_BUF(name, sc, dir)                                            \
	SEC("tracepoint/syscalls/sys_enter_" #name)                         \
	int tl_enter_##name(struct trace_event_raw_sys_enter *ctx)          \
	{                                                                   \
		return on_enter((int)ctx->args[0], ctx->args[1], 0, sc, dir); \
	}

#define ENTER_IOV(name, sc, dir)                                                         \
	SEC("tracepoint/syscalls/sys_enter_" #name)                                      \
	int tl_enter_##name(struct trace_event_raw_sys_enter *ctx)                       \
	{                                                                                \
		__u32 n = ctx->args[2] > 1024 ? 1024 : (__u32)ctx->args[2];                \
		return n ? on_enter((int)ctx->args[0], ctx->args[1], n, sc, dir) : 0;      \
	}

#define ENTER_MSG(name, sc, dir)                                            \
	SEC("tracepoint/syscalls/sys_enter_" #name)                         \
	int tl_enter_##name(struct trace_event_raw_sys_enter *ctx)          \
	{                                                                   \
		return on_enter_msg((int)ctx->args[0], ctx->args[1], sc, dir); \
	}

#define EXIT_DATA(name)                                           \
	SEC("tracepoint/syscalls/sys_exit_" #name)                \
	int tl_exit_##name(struct trace_event_raw_sys_exit *ctx)  \
	{                                                         \
		return on_exit(ctx->ret);                         \
	}

ENTER_BUF(read, TL_SYS_READ, TL_INGRESS)
EXIT_DATA(read)
ENTER_BUF(write, TL_SYS_WRITE, TL_EGRESS)
EXIT_DATA(write)
ENTER_IOV(readv, TL_SYS_READV, TL_INGRESS)
EXIT_DATA(readv)
ENTER_IOV(writev, TL_SYS_WRITEV, TL_EGRESS)
EXIT_DATA(writev)
ENTER_BUF(sendto, TL_SYS_SENDTO, TL_EGRESS)
EXIT_DATA(sendto)
ENTER_BUF(recvfrom, TL_SYS_RECVFROM, TL_INGRESS)
EXIT_DATA(recvfrom)
ENTER_MSG(sendmsg, TL_SYS_SENDMSG, TL_EGRESS)
EXIT_DATA(sendmsg)
ENTER_MSG(recvmsg, TL_SYS_RECVMSG, TL_INGRESS)
EXIT_DATA(recvmsg)

/*
 * sendfile(out_fd, in_fd, ...): nginx sends static files and disk-buffered upstream responses
 * this way. Without counting these bytes, the HTTP parser would lose its place in the stream.
 */
SEC("tracepoint/syscalls/sys_enter_sendfile64")
int tl_enter_sendfile64(struct trace_event_raw_sys_enter *ctx)
{
	return on_enter((int)ctx->args[0], 0, 0, TL_SYS_SENDFILE, TL_EGRESS);
}

EXIT_DATA(sendfile64)

SEC("tracepoint/syscalls/sys_exit_accept4")
int tl_exit_accept4(struct trace_event_raw_sys_exit *ctx)
{
	return ctx->ret >= 0 ? emit_lifecycle((int)ctx->ret, TL_EVENT_ACCEPT, TL_SYS_ACCEPT4, ctx->ret, 0) : 0;
}

SEC("tracepoint/syscalls/sys_exit_accept")
int tl_exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	return ctx->ret >= 0 ? emit_lifecycle((int)ctx->ret, TL_EVENT_ACCEPT, TL_SYS_ACCEPT, ctx->ret, 0) : 0;
}

/* connect: the fd is only in the enter arguments, so it is parked like a data call. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct pending);
} connecting SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_connect")
int tl_enter_connect(struct trace_event_raw_sys_enter *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct pending p = {};
	p.fd = (int)ctx->args[0];
	p.enter_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&connecting, &pid_tgid, &p, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_connect")
int tl_exit_connect(struct trace_event_raw_sys_exit *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct pending *p = bpf_map_lookup_elem(&connecting, &pid_tgid);
	if (!p)
		return 0;
	int fd = p->fd;
	__u64 enter_ns = p->enter_ns;
	bpf_map_delete_elem(&connecting, &pid_tgid);
	if (ctx->ret != 0 && ctx->ret != -EINPROGRESS)
		return 0;
	return emit_lifecycle(fd, TL_EVENT_CONNECT, TL_SYS_CONNECT, ctx->ret, enter_ns);
}

SEC("tracepoint/syscalls/sys_enter_close")
int tl_enter_close(struct trace_event_raw_sys_enter *ctx)
{
	return emit_lifecycle((int)ctx->args[0], TL_EVENT_CLOSE, TL_SYS_CLOSE, 0, 0);
}

/*
 * Listed processes bring their children: `--pid <nginx master>` must also cover the workers it
 * forks later (on reload, or after a crash). Threads share the tgid and need no entry.
 */
SEC("tracepoint/task/task_newtask")
int tl_task_newtask(struct trace_event_raw_task_newtask *ctx)
{
	struct tl_config *cfg = get_config();
	if (!cfg || cfg->pid_mode != TL_PIDS_LISTED || (ctx->clone_flags & CLONE_THREAD))
		return 0;
	__u32 parent = bpf_get_current_pid_tgid() >> 32;
	if (!bpf_map_lookup_elem(&pids, &parent))
		return 0;
	__u32 child = ctx->pid;
	__u8 one = 1;
	bpf_map_update_elem(&pids, &child, &one, BPF_ANY);
	return 0;
}

/* A listed process that exits frees its entry (its pid may be reused by anything). */
SEC("tracepoint/sched/sched_process_exit")
int tl_process_exit(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	if ((__u32)pid_tgid == tgid)
		bpf_map_delete_elem(&pids, &tgid);
	return 0;
}
