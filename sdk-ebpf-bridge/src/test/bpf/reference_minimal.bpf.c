// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The least a tracer can do per send or receive and still deliver what S spans need: a timestamp and the first
 * payload bytes in a ring-buffer record, on the same tracepoints as socket_trace.bpf.c, with no filter, no
 * socket identity, no sequence number. The syscall overhead harness measures it in the same run as the bridge, as
 * the floor of any such tracer on the machine. (x86_64: the buffer is the second syscall argument.)
 */
#include "vmlinux_subset.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024 * 1024);
} events SEC(".maps");

struct record {
	__u64 ts_ns;
	__u32 bytes;
	__u32 captured;
	__u8 payload[256];
};

static __always_inline int record(int ret)
{
	if (ret <= 0)
		return 0;
	struct record *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r)
		return 0;
	r->ts_ns = bpf_ktime_get_ns();
	r->bytes = ret;
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	__u32 n = ret & 255;
	r->captured = bpf_probe_read_user(r->payload, n, (void *)regs->si) ? 0 : n;
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(tl_minimal_send, struct sock *sk, int ret, int flags)
{
	return record(ret);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(tl_minimal_recv, struct sock *sk, int ret, int flags)
{
	return record(ret);
}
