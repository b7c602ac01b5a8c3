"""Runs BlockBench (DJL, JavaCPP) and peer_blocks.py (PyTorch) interleaved and tabulates them.

The three engines live in three processes (DJL's and JavaCPP's libtorch cannot share a JVM). All
are started, load their blocks, then take turns: each repetition asks every process in turn for
one call of each of its variants, the order rotating per repetition, so a change in the machine's
load hits all variants alike. Only one process computes at a time; the others wait on stdin.
The first `--warmup` repetitions are not counted. Prints a Markdown table of medians, speed-ups
over our DJL F32 block and over PyTorch F32, and output differences from the F32 reference.

Usage: interleave.py --warmup 2 --reps 10 --raw OUT.json NAME=COMMAND ...
"""

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys

ORDER = [
    "djl-f32",
    "djl-torchscript-f32",
    "djl-torchscript-bf16",
    "javacpp-f32",
    "javacpp-bf16",
    "pytorch-f32",
    "pytorch-bf16",
    "pytorch-autocast-bf16",
]


def start(name, command, log):
    proc = subprocess.Popen(
        shlex.split(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True
    )
    line = proc.stdout.readline().strip()
    if line != "ready":
        raise SystemExit(f"{name}: expected 'ready', got {line!r} (see the log)")
    return proc


def call(proc):
    proc.stdin.write("run\n")
    proc.stdin.flush()
    rows = []
    for line in proc.stdout:
        line = line.strip()
        if line == "end":
            return rows
        if line.startswith("{"):
            rows.append(json.loads(line))
    raise SystemExit("an engine process ended early (see the log)")


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def table(samples, diffs):
    lines = [
        "| block | variant | median ms | vs DJL F32 | vs PyTorch F32 | max abs diff | rel. L2 diff |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for block in ("resnet", "transformer"):
        djl = statistics.median(samples[block]["djl-f32"])
        torch_f32 = statistics.median(samples[block]["pytorch-f32"])
        for variant in ORDER:
            ms = samples[block].get(variant)
            if not ms:
                continue
            med = statistics.median(ms)
            max_abs, rel_l2 = diffs[(block, variant)]
            lines.append(
                f"| {block} | {variant} | {med:.0f} | {djl / med:.2f}× | {torch_f32 / med:.2f}× "
                f"| {max_abs:.2g} | {rel_l2:.2g} |"
            )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--raw", required=True, help="where to write every sample as JSON")
    parser.add_argument("--log", default=os.devnull, help="the engines' stderr")
    parser.add_argument("engines", nargs="+", metavar="NAME=COMMAND")
    args = parser.parse_args()
    if args.warmup < 1:
        # The first call of every variant copies its output for the comparison.
        parser.error("--warmup must be at least 1")
    with open(args.log, "a") as log:
        procs = []
        for spec in args.engines:
            name, command = spec.split("=", 1)
            procs.append((name, start(name, command, log)))
        samples, diffs, loads = {}, {}, []
        for rep in range(args.warmup + args.reps):
            loads.append(load_average())
            for i in range(len(procs)):
                name, proc = procs[(rep + i) % len(procs)]
                for row in call(proc):
                    key = (row["block"], row["variant"])
                    if "max_abs" in row:
                        diffs[key] = (row["max_abs"], row["rel_l2"])
                    if rep >= args.warmup:
                        samples.setdefault(row["block"], {}).setdefault(row["variant"], []).append(
                            row["ms"]
                        )
            print(f"repetition {rep + 1}/{args.warmup + args.reps} done", file=sys.stderr)
        for _, proc in procs:
            proc.stdin.close()
            proc.wait()
    with open(args.raw, "w") as f:
        json.dump({"samples": samples, "load_average_1min": loads}, f, indent=1)
    print(f"load average (1 min) over the run: {min(loads):.2f} to {max(loads):.2f}")
    print(table(samples, diffs))


if __name__ == "__main__":
    main()
