/* SPDX-License-Identifier: Apache-2.0 */
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
	BPF_MAP_TYPE_RINGBUF = 27,
};

enum {
	BPF_ANY = 0,
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

/* Tracepoint context of every syscalls:sys_enter_* and sys_exit_* event. */
struct trace_event_raw_sys_enter {
	unsigned short common_type;
	unsigned char common_flags;
	unsigned char common_preempt_count;
	int common_pid;
	long id;
	unsigned long args[6];
};

struct trace_event_raw_sys_exit {
	unsigned short common_type;
	unsigned char common_flags;
	unsigned char common_preempt_count;
	int common_pid;
	long id;
	long ret;
};

/* task:task_newtask; clone_flags tells a new process from a new thread. */
struct trace_event_raw_task_newtask {
	int pid;
	__u64 clone_flags;
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
	__u16 sk_protocol;
	__u16 sk_type;
};

/* Only the two sequence counters; CO-RE finds them inside the real tcp_sock. */
struct tcp_sock {
	__u32 copied_seq;
	__u32 write_seq;
};

struct socket {
	struct sock *sk;
};

struct inode {
	unsigned short i_mode;
};

struct file {
	struct inode *f_inode;
	void *private_data;
};

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
};

struct files_struct {
	struct fdtable *fdt;
};

struct task_struct {
	struct files_struct *files;
};

#pragma clang attribute pop

#endif /* THREADLINE_VMLINUX_SUBSET_H */
