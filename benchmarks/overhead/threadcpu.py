#!/usr/bin/env python3
"""CPU time of a process's threads, grouped by what they do, for benchmarks/overhead/run.

  threadcpu.py snap PID                    per thread: tid, utime+stime (clock ticks), name
  threadcpu.py split BEFORE AFTER N [--app-uses-jdk-client]
                                           CPU µs per request over N requests between two snapshots, per group:
                                           request exporter jit other (one line, tab-separated)

Groups by thread name: Tomcat's request threads (http-nio-*); the span exporters' threads (the SDK's
BatchSpanProcessor and the HTTP clients that send its batches: the JDK client's jdkhttp-executor, HttpClient-*
workers and selector, OkHttp's dispatcher and connection threads); the JIT compiler threads (C1/C2 CompilerThread);
everything else (GC, VM thread, other application and agent threads). With --app-uses-jdk-client the JDK client's
HttpClient-* threads go to "other": the application's own calls share them (the WebShop's services call each other
through it), so the exporter group then holds only the batch processor's and the senders' named threads. A thread
that ended between the snapshots is not counted; the request, exporter and compiler threads are long-lived."""
import os
import re
import sys

EXPORTER = r"^(BatchSpanProces|jdkhttp-executo|okhttp-|OkHttp |Okio )"
JDK_CLIENT = r"^HttpClient-"
REQUEST = re.compile(r"^http-nio-")
JIT = re.compile(r"^C[12] CompilerThre")


def snap(pid):
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue  # the thread ended
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        print(f"{tid}\t{int(fields[11]) + int(fields[12])}\t{name}")


def read(path):
    threads = {}
    with open(path) as f:
        for line in f:
            tid, ticks, name = line.rstrip("\n").split("\t", 2)
            threads[tid] = (name, int(ticks))
    return threads


def split(before, after, requests, app_uses_jdk_client):
    exporter = re.compile(EXPORTER if app_uses_jdk_client else EXPORTER[:-1] + "|" + JDK_CLIENT[1:] + ")")
    groups = [("request", REQUEST), ("exporter", exporter), ("jit", JIT)]
    a, b = read(before), read(after)
    totals = {g: 0 for g in ("request", "exporter", "jit", "other")}
    for tid, (name, ticks) in b.items():
        used = ticks - a.get(tid, (name, 0))[1]
        group = next((g for g, pattern in groups if pattern.search(name)), "other")
        totals[group] += used
    hz = os.sysconf("SC_CLK_TCK")
    print("\t".join(f"{totals[g] / hz * 1e6 / requests:.1f}" for g in ("request", "exporter", "jit", "other")))


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        snap(sys.argv[2])
    elif sys.argv[1] == "split":
        split(sys.argv[2], sys.argv[3], int(sys.argv[4]), "--app-uses-jdk-client" in sys.argv[5:])
    else:
        sys.exit(__doc__)
