#!/usr/bin/env bash
# Issue 15's bf16 measurement: SD-1.5's ResNet and transformer blocks on our DJL F32 blocks,
# TorchScript traces run by DJL (F32, bf16), JavaCPP's libtorch 2.10 (F32, bf16) and PyTorch (F32,
# bf16, bf16 autocast), all with the same weights.
# DJL's and JavaCPP's libtorch cannot share a JVM, so each engine runs in its own process and
# peer/interleave.py makes them take turns, call by call.
#
# Usage: bench-bf16/run.sh [WARMUP] [REPS]
# Needs PYTHON (default /tmp/tv/bin/python) with torch and safetensors, and DIFFUSERS_SRC
# (default /tmp/dsrc/src) pointing at a diffusers source tree.
set -euo pipefail
warmup="${1:-2}"
reps="${2:-10}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-/tmp/tv/bin/python}"
threads="${BENCH_THREADS:-2}"
work="$here/target/bf16-blocks"
# Thread counts fixed for all three engines; glibc malloc settings as ./image2music sets them, for all three.
export OMP_NUM_THREADS="$threads" BENCH_THREADS="$threads"
export MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736

(cd "$here/.." && mvn -B -q -o -Pbf16-prototype -pl bench-bf16 -am -DskipTests compile)
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
[ -f "$work/io.safetensors" ] || "$python" "$here/peer/peer_blocks.py" make "$work"
[ -f "$work/transformer_bf16.pt" ] || "$python" "$here/peer/peer_blocks.py" trace "$work" 2>/dev/null

java_bench="java -cp $cp image2music.bench.bf16.BlockBench"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $threads threads"
echo "start: $(uptime)"
"$python" "$here/peer/interleave.py" --warmup "$warmup" --reps "$reps" \
  --raw "$here/target/samples.json" --log "$here/target/engines.log" \
  "djl=$java_bench djl $work $threads" \
  "javacpp=$java_bench javacpp $work $threads" \
  "pytorch=$python $here/peer/peer_blocks.py serve $work"
echo "end: $(uptime)"
