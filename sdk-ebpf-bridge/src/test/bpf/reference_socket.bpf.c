// SPDX-License-Identifier: Apache-2.0
/*
 * Empty programs on the tracepoints socket_trace.bpf.c uses for data: what any tracer built on them pays before
 * doing anything. The syscall overhead harness measures it in the same run as the bridge.
 */
#include "vmlinux_subset.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sock_send_length")
int tl_reference_send(void *ctx)
{
	return 0;
}

SEC("tp_btf/sock_recv_length")
int tl_reference_recv(void *ctx)
{
	return 0;
}
