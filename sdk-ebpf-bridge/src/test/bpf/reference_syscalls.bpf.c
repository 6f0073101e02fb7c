// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Programs that only count their calls (reference_calls.h), on the per-syscall tracepoints
 * (syscalls:sys_enter_<name> / sys_exit_<name>) of the calls that move socket data, as syscall-based tracers attach
 * them: what that design pays before doing anything. The syscall overhead harness measures it in the same run as
 * the bridge. Attaching needs tracefs.
 */
#include "vmlinux_subset.h"
#include <bpf/bpf_helpers.h>
#include "reference_calls.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define ENTER_EXIT(name)                            \
	SEC("tracepoint/syscalls/sys_enter_" #name) \
	int tl_reference_enter_##name(void *ctx)    \
	{                                           \
		return count_call();                \
	}                                           \
	SEC("tracepoint/syscalls/sys_exit_" #name)  \
	int tl_reference_exit_##name(void *ctx)     \
	{                                           \
		return count_call();                \
	}

ENTER_EXIT(read)
ENTER_EXIT(write)
ENTER_EXIT(readv)
ENTER_EXIT(writev)
ENTER_EXIT(sendto)
ENTER_EXIT(recvfrom)
ENTER_EXIT(sendmsg)
ENTER_EXIT(recvmsg)
