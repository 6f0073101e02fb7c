"""Summarises `jfr print --events jdk.ExecutionSample` (stdin): samples per thread, the share of samples in each
part of the agent (by the innermost agent frame of each stack), and the hottest agent frames."""
import collections
import re
import sys

config = sys.argv[1] if len(sys.argv) > 1 else "threadline"
if config == "threadline":
    shaded = "dev.threadline.agent.shaded."
    parts = [
        ("exporter (OTLP)", shaded + "io.opentelemetry.exporter."),
        ("OpenTelemetry SDK", shaded + "io.opentelemetry.sdk."),
        ("Threadline SDK", shaded + "dev.threadline.sdk."),
        ("OpenTelemetry API/context", shaded + "io.opentelemetry."),
        ("other shaded", shaded),
        ("agent (bootstrap helpers, installer)", "dev.threadline.agent."),
    ]
else:
    shaded = "io.opentelemetry.javaagent.shaded."
    # The OpenTelemetry agent keeps its SDK and exporter (with OkHttp) under their own names, in its class loader.
    parts = [
        ("exporter (OTLP)", "io.opentelemetry.exporter."),
        ("exporter (OTLP)", "okhttp3."),
        ("exporter (OTLP)", "okio."),
        ("OpenTelemetry SDK", "io.opentelemetry.sdk."),
        ("instrumentation API", shaded + "instrumentation."),
        ("OpenTelemetry API/context", shaded + "io.opentelemetry."),
        ("other shaded", shaded),
        ("agent (bootstrap, tooling, instrumentation)", "io.opentelemetry.javaagent."),
    ]

frame_re = re.compile(r"^\s+([\w$.<>]+)\(.*\)\s+line:")
thread_re = re.compile(r'^\s+sampledThread = "(.*)" \(')
samples = []
thread = None
stack = None
for line in sys.stdin:
    if line.startswith("jdk.ExecutionSample"):
        thread, stack = None, []
        continue
    m = thread_re.match(line)
    if m:
        thread = m.group(1)
        continue
    m = frame_re.match(line)
    if m and stack is not None:
        stack.append(m.group(1))
        continue
    if line.startswith("}") and stack is not None:
        samples.append((thread or "?", stack))
        stack = None

if not samples:
    sys.exit("profile: no execution samples in the recording")


def part_of(frame):
    for name, prefix in parts:
        if frame.startswith(prefix):
            return name
    return None


def thread_group(name):
    return re.sub(r"\d+", "N", name)


by_part = collections.Counter()
agent_frames = collections.Counter()
threads = collections.Counter()
for thread_name, stack in samples:
    threads[thread_group(thread_name)] += 1
    for frame in stack:  # leaf first
        if frame.startswith("dev.threadline.agent.it."):
            continue  # the test shop itself: application code
        part = part_of(frame)
        if part:
            by_part[part] += 1
            agent_frames[frame] += 1
            break
    else:
        by_part["application, JDK and libraries (no agent frame)"] += 1

total = len(samples)
print(f"{config}: {total} samples")
print("\nsamples per thread (digits folded):")
for name, count in threads.most_common(8):
    print(f"  {100 * count / total:5.1f} %  {name}")
print("\nsamples by the innermost agent frame on the stack:")
for name, count in by_part.most_common():
    print(f"  {100 * count / total:5.1f} %  {name}")
print("\nhottest agent frames (innermost agent frame of a sample):")
for frame, count in agent_frames.most_common(20):
    print(f"  {100 * count / total:5.1f} %  {frame}")
