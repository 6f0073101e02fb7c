// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Programs that only count their calls (reference_calls.h), on the tracepoints socket_trace.bpf.c uses for data:
 * what any tracer built on them pays before doing anything. The syscall overhead harness measures it in the same
 * run as the bridge.
 */
#include "vmlinux_subset.h"
#include <bpf/bpf_helpers.h>
#include "reference_calls.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sock_send_length")
int tl_reference_send(void *ctx)
{
	return count_call();
}

SEC("tp_btf/sock_recv_length")
int tl_reference_recv(void *ctx)
{
	return count_call();
}
