#!/usr/bin/env python3
"""Summarises benchmarks/overhead/run's samples.tsv: per configuration the median and spread (min-max) of each
figure, its ratio to no agent, and the targets of the overhead work (Threadline's added cost against the
OpenTelemetry agent's). Usage: summarize.py samples.tsv "header line"."""
import csv
import statistics
import sys

CONFIGS = ["none", "otel", "threadline"]
# column, label, higher is better
FIGURES = [
    ("throughput", "throughput, closed loop (req/s)", True),
    ("p50_ms", "p50 at the fixed rate (ms)", False),
    ("p99_ms", "p99 at the fixed rate (ms)", False),
    ("cpu_us_per_req", "CPU time per request (µs)", False),
    ("cpu_request_us", "… in request threads (µs)", False),
    ("cpu_exporter_us", "… in the span exporter's threads (µs)", False),
    ("cpu_jit_us", "… in the JIT compiler (µs)", False),
    ("cpu_other_us", "… in other threads (GC, VM, …) (µs)", False),
    ("busy_pct", "application's core busy, closed loop (%)", False),
    ("alloc_kb_per_req", "allocation per request (KB)", False),
    ("ttfr_ms", "time to first served request (ms)", False),
    ("rss_mb", "RSS at the end (MB)", False),
    ("warmup_s", "warm-up until the JIT settled (s)", False),
]


def main():
    rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
    for r in rows:  # share of its one core the application used in the closed loop
        r["busy_pct"] = float(r["cpu_us_per_req"]) * float(r["throughput"]) / 1e4
    values = {c: {f: [float(r[f]) for r in rows if r["config"] == c] for f, _, _ in FIGURES} for c in CONFIGS}
    med = {c: {f: statistics.median(v) for f, v in values[c].items()} for c in CONFIGS}

    def cell(c, f):
        v = values[c][f]
        return f"{fmt(med[c][f])} ({fmt(min(v))}–{fmt(max(v))})"

    out = [sys.argv[2], ""]
    out.append("| figure | none | otel | threadline | otel / none | threadline / none |")
    out.append("|---|---|---|---|---|---|")
    for f, label, _ in FIGURES:
        base = med["none"][f]
        ratio = lambda c: f"{med[c][f] / base:.2f}×" if base else "-"
        out.append(f"| {label} | {cell('none', f)} | {cell('otel', f)} | {cell('threadline', f)} "
                   f"| {ratio('otel')} | {ratio('threadline')} |")
    spans = {c: sorted({r["spans_per_trace"] for r in rows if r["config"] == c}) for c in ("otel", "threadline")}
    exported = {c: [r["spans_per_req"] for r in rows if r["config"] == c] for c in ("otel", "threadline")}
    out.append("")
    out.append("Spans in the checked trace: " + "; ".join(f"{c} {', '.join(spans[c])}" for c in spans)
               + ". Spans received by the node per request sent, per round: "
               + "; ".join(f"{c} {', '.join(exported[c])}" for c in exported) + ".")
    out.append("")
    out.append("Median in each cell, (min–max) over the rounds. Targets (Threadline's added cost against the "
               "OpenTelemetry agent's, medians):")
    out.append("")
    loss = {c: 1 - med[c]["throughput"] / med["none"]["throughput"] for c in ("otel", "threadline")}
    out.append(target("throughput loss ≤ ⅓ of otel's", loss["threadline"], loss["otel"], 1 / 3, pct=True))
    for f, label, share in [("p99_ms", "p99 added at the fixed rate ≤ ⅓ of otel's", 1 / 3),
                            ("alloc_kb_per_req", "allocation per request added ≤ ½ of otel's", 1 / 2),
                            ("ttfr_ms", "time to first request added ≤ ½ of otel's", 1 / 2)]:
        added = {c: med[c][f] - med["none"][f] for c in ("otel", "threadline")}
        out.append(target(label, added["threadline"], added["otel"], share))
    print("\n".join(out))


def target(label, threadline, otel, share, pct=False):
    show = (lambda v: f"{v * 100:.1f} %") if pct else fmt
    met = threadline <= otel * share
    return (f"- {label}: threadline {show(threadline)}, otel {show(otel)}, limit {show(otel * share)}: "
            f"**{'met' if met else 'not met'}**")


def fmt(v):
    return f"{v:.0f}" if abs(v) >= 100 else f"{v:.1f}"


if __name__ == "__main__":
    main()
