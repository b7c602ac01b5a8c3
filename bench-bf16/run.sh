#!/usr/bin/env bash
# Issue 15's bf16 measurement: SD-1.5's ResNet and transformer blocks on our DJL F32 blocks,
# JavaCPP's libtorch 2.10 (F32, bf16) and PyTorch (F32, bf16, bf16 autocast), same weights.
# DJL's and JavaCPP's libtorch cannot share a JVM, so each engine runs in its own process; rounds
# rotate the three processes so that the machine's load changes hit all of them alike.
#
# Usage (from the repository root): bench-bf16/run.sh [ROUNDS] [WARMUP] [REPS]
# Needs PYTHON (default /tmp/tv/bin/python) with torch and safetensors, and DIFFUSERS_SRC
# (default /tmp/dsrc/src) pointing at a diffusers source tree.
set -euo pipefail
rounds="${1:-6}"
warmup="${2:-2}"
reps="${3:-3}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-/tmp/tv/bin/python}"
threads="${BENCH_THREADS:-2}"
work="$here/target/bf16-blocks"
results="$here/target/results.jsonl"
log="$here/target/run.log"
# Threads pinned to the cores measured; glibc settings as ./image2music sets them, for all three.
export OMP_NUM_THREADS="$threads" BENCH_THREADS="$threads"
export MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736

(cd "$here/.." && mvn -B -q -o -Pbf16-prototype -pl bench-bf16 -am -DskipTests compile)
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
[ -f "$work/io.safetensors" ] || "$python" "$here/peer/peer_blocks.py" make "$work"

run_djl() { java -cp "$cp" image2music.bench.bf16.BlockBench djl "$work" "$warmup" "$reps" "$threads"; }
run_javacpp() { java -cp "$cp" image2music.bench.bf16.BlockBench javacpp "$work" "$warmup" "$reps" "$threads"; }
run_pytorch() { "$python" "$here/peer/peer_blocks.py" bench "$work" --warmup "$warmup" --reps "$reps"; }
engines=(run_djl run_javacpp run_pytorch)

: >"$results"
: >"$log"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $threads threads" | tee -a "$log"
echo "start: $(uptime)" | tee -a "$log"
for ((r = 0; r < rounds; r++)); do
  for ((i = 0; i < 3; i++)); do
    engine="${engines[$(((r + i) % 3))]}"
    echo "round $r: $engine" >>"$log"
    "$engine" >>"$results" 2>>"$log"
  done
done
echo "end: $(uptime)" | tee -a "$log"
"$python" "$here/peer/summarise.py" "$results"
