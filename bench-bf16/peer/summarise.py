"""Pools the JSON lines of bench-bf16/run.sh (several rounds, one engine per process) into a table.

Each (block, variant) gets the median of all its timed samples, its speed-up over our DJL F32
block (DJL time / its time) and over PyTorch F32, and its output difference from the F32
reference (the same in every round, as weights and inputs are fixed; the first is shown).
"""

import json
import statistics
import sys
from collections import defaultdict

ORDER = [
    "djl-f32",
    "javacpp-f32",
    "javacpp-bf16",
    "pytorch-f32",
    "pytorch-bf16",
    "pytorch-autocast-bf16",
]


def main(path):
    samples = defaultdict(list)
    diffs = {}
    with open(path) as f:
        for line in f:
            if not line.startswith("{"):
                continue
            row = json.loads(line)
            key = (row["block"], row["variant"])
            samples[key].extend(row["ms"])
            diffs.setdefault(key, (row["max_abs"], row["rel_l2"]))
    print("| block | variant | median ms | samples | vs DJL F32 | vs PyTorch F32 | max abs diff | rel. L2 diff |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for block in ("resnet", "transformer"):
        djl = statistics.median(samples[(block, "djl-f32")])
        torch_f32 = statistics.median(samples[(block, "pytorch-f32")])
        for variant in ORDER:
            ms = samples.get((block, variant))
            if not ms:
                continue
            med = statistics.median(ms)
            max_abs, rel_l2 = diffs[(block, variant)]
            print(
                f"| {block} | {variant} | {med:.0f} | {len(ms)} | {djl / med:.2f}x | "
                f"{torch_f32 / med:.2f}x | {max_abs:.2g} | {rel_l2:.2g} |"
            )


if __name__ == "__main__":
    main(sys.argv[1])
