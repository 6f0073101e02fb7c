/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Reading the call that moved a socket's bytes from the calling thread's saved syscall registers: which syscall,
 * its fd, and where its bytes are in user memory (one buffer or an iovec array). Part of socket_trace.bpf.c.
 * x86_64 only: the syscall numbers and the registers are that architecture's (see Preflight).
 */
#ifndef THREADLINE_USER_CALL_H
#define THREADLINE_USER_CALL_H

#define TS_COMPAT 0x0002
#define PF_IO_WORKER 0x00000010
#define PF_KTHREAD 0x00200000

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
	__u64 addr; /* the buffer, or the iovec array when iovcnt > 0; 0 when there is nothing to copy */
	__u32 iovcnt;
};

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
	if ((task->flags & (PF_KTHREAD | PF_IO_WORKER)) || (task->thread_info.status & TS_COMPAT) ||
	    BPF_CORE_READ_BITFIELD(sk, sk_kern_sock))
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
	bool sends = syscall == TL_SYS_WRITE || syscall == TL_SYS_WRITEV || syscall == TL_SYS_SENDTO ||
		     syscall == TL_SYS_SENDMSG || syscall == TL_SYS_SENDFILE;
	if (sends != (direction == TL_EGRESS))
		return;
	e->syscall = syscall;
	e->fd = (int)regs->di;
	b->addr = addr;
	b->iovcnt = iovcnt;
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

#endif /* THREADLINE_USER_CALL_H */
