/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The few kernel types socket_trace.bpf.c touches, declared for CO-RE.
 *
 * Why not a full vmlinux.h dump: it is 130k lines tied to one kernel build. With
 * preserve_access_index, clang records every field access as a relocation by *name*, and
 * libbpf rewrites the offsets against the running kernel's BTF at load time. So these
 * declarations only need the right names and types, not the real layout or all members.
 */
#ifndef THREADLINE_VMLINUX_SUBSET_H
#define THREADLINE_VMLINUX_SUBSET_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
#define true 1
#define false 0

enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_SK_STORAGE = 24,
	BPF_MAP_TYPE_RINGBUF = 27,
};

enum {
	BPF_ANY = 0,
};

/* Map flags (UAPI linux/bpf.h). */
enum {
	BPF_F_NO_PREALLOC = 1,
	BPF_F_MMAPABLE = 1024,
};

/* bpf_sk_storage_get() flags. */
enum {
	BPF_SK_STORAGE_GET_F_CREATE = 1,
};

/* bpf_ringbuf_output() flags and bpf_ringbuf_query() selectors (UAPI linux/bpf.h). */
enum {
	BPF_RB_NO_WAKEUP = 1,
	BPF_RB_FORCE_WAKEUP = 2,
};

enum {
	BPF_RB_AVAIL_DATA = 0,
	BPF_RB_RING_SIZE = 1,
};

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

/*
 * The registers a thread saved when it entered the kernel (x86_64): for a syscall, di, si, dx, r10, r8, r9 are
 * its arguments 1-6 and orig_ax its number, for as long as the call runs.
 */
struct pt_regs {
	unsigned long r10;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long orig_ax;
};

struct in6_addr {
	union {
		__u8 u6_addr8[16];
		__be32 u6_addr32[4];
	} in6_u;
};

struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;
	unsigned short skc_family;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
};

struct sock {
	struct sock_common __sk_common;
	__u8 sk_kern_sock : 1; /* the kernel's own socket (NFS, CIFS, ...): no user buffer behind its calls */
	__u8 sk_shutdown; /* RCV_SHUTDOWN | SEND_SHUTDOWN */
	__u16 sk_protocol;
	__u16 sk_type;
};

struct inet_sock {
	struct sock sk;
	__be16 inet_sport; /* the local port, kept after the socket is unhashed (skc_num is not) */
};

/* Only the two sequence counters; CO-RE finds them inside the real tcp_sock. */
struct tcp_sock {
	__u32 copied_seq;
	__u32 write_seq;
};

/* x86: TS_COMPAT in status marks a 32-bit syscall, whose numbers mean other calls. */
struct thread_info {
	__u32 status;
};

typedef struct {
	int counter;
} atomic_t;

/* live: threads of the process not yet exiting; 0 in sched_process_exit of its last thread. */
struct signal_struct {
	atomic_t live;
};

struct task_struct {
	struct thread_info thread_info;
	unsigned int flags; /* PF_KTHREAD, PF_IO_WORKER: no user registers to read */
	int pid;
	int tgid;
	char comm[16];
	struct signal_struct *signal;
	__u64 start_boottime; /* ns since boot, suspend included: /proc's starttime (the thread-context guard) */
};

#pragma clang attribute pop

#endif /* THREADLINE_VMLINUX_SUBSET_H */
