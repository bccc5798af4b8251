#!/usr/bin/env python3
"""Times two commands interleaved (A B, B A, A B, ...), so that both see the same machine load.

Issue 26: hyperfine times all runs of one command and then all runs of the next; on a shared machine
the load moves between those blocks. Prints, per command, the medians of wall time, processor time
(user + system of the child, from wait4) and minor page faults.

Usage: python3 benchmarks/interleave.py N CMD_A... -- CMD_B...   (CMD as an executable path and its arguments)
Example (after benchmarks/compare.sh, its default work folder):
  W=/tmp/postfix-config-bench
  python3 benchmarks/interleave.py 60 $W/native/postfix-config render examples/newsletter.yaml --out $W/a \\
      -- $W/installed/postfix-config render examples/newsletter.yaml --out $W/b
"""
import os
import statistics
import sys
import time


def run(cmd):
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.execv(cmd[0], cmd)
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"interleave.py: {' '.join(cmd)} failed")
    return (time.perf_counter() - start) * 1000, (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_minflt


def main():
    n = int(sys.argv[1])
    split = sys.argv.index("--")
    commands = {"A": sys.argv[2:split], "B": sys.argv[split + 1:]}
    results = {"A": [], "B": []}
    for _ in range(5):  # warm-up
        run(commands["A"])
        run(commands["B"])
    for k in range(n):
        for name in ("AB" if k % 2 == 0 else "BA"):
            results[name].append(run(commands[name]))
    print(f"load average: {' '.join(open('/proc/loadavg').read().split()[:3])}")
    for name in "AB":
        wall, cpu, faults = (statistics.median(column) for column in zip(*results[name]))
        print(f"{name}: wall {wall:7.1f} ms  cpu {cpu:6.1f} ms  minor faults {faults:6.0f}  {commands[name][0]}")
    ratio = statistics.median(r[0] for r in results["B"]) / statistics.median(r[0] for r in results["A"])
    print(f"B / A wall: {ratio:.3f}")


if __name__ == "__main__":
    main()
