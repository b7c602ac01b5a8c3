#!/usr/bin/env python3
"""PyTorch's time for the generator training steps that `bench-diffusion` times in Java.

The same cases as app/.../bench/TrainingBench.java, with diffusers' UNet2DConditionModel:
  * preset_tiny / preset_small: the `train-generator --preset` UNets (pixel space, 3 channels,
    text addition embedding), batch 4 at 64 x 128 px, 32 text tokens; forward, MSE, backward,
    global-norm clipping at 1, AdamW.
  * sd15_lora_256 / sd15_lora_512 (and *_checkpointing): rank-4 LoRA on every attention's
    to_q/to_k/to_v/to_out.0 of the SD-1.5 UNet (base frozen), batch 1, 77 x 768 text; with
    diffusers' own gradient checkpointing for the *_checkpointing cases.
Weights are random (timing only), float32, torch.set_num_threads(--threads). Every case runs in
its own child process, so its peak resident memory (VmHWM) is its own.

Output: JSON whose summary.blocks["single:<case>.train_step"] holds median_s and cpu_est_s (the
median of own CPU seconds / threads), the layout `bench-diffusion --training-peer FILE` reads.

Setup used for the README's figures: a venv with torch 2.13.0+cpu and a diffusers source tree on
PYTHONPATH (`--diffusers-src DIR`, the folder that holds `diffusers/`).
With Debian's torch 1.13, check which OpenBLAS `libopenblas.so.0` resolves to: installing
python3-scipy makes the pthread build the default, which oversubscribes the cores under torch's
OpenMP threads (the tiny preset's step took 0.77-0.92 s instead of 0.47 s); select the openmp
build with update-alternatives for libblas.so.3, liblapack.so.3 and libopenblas.so.0.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time

PRESETS = {
    # GeneratorPreset.TINY / SMALL: channels, layers per block, text width, norm groups.
    "tiny": ([32, 64, 64], 1, 64, 8),
    "small": ([64, 128, 256, 256], 2, 128, 32),
}
CASES = [
    "preset_tiny",
    "preset_small",
    "sd15_lora_256",
    "sd15_lora_256_checkpointing",
    "sd15_lora_512",
    "sd15_lora_512_checkpointing",
]


def preset_config(name: str) -> dict:
    channels, layers, text, groups = PRESETS[name]
    down = ["CrossAttnDownBlock2D" if i >= 2 else "DownBlock2D" for i in range(len(channels))]
    up = [("CrossAttnUpBlock2D" if d.startswith("CrossAttn") else "UpBlock2D") for d in reversed(down)]
    return dict(
        sample_size=64,
        in_channels=3,
        out_channels=3,
        block_out_channels=channels,
        layers_per_block=layers,
        down_block_types=down,
        up_block_types=up,
        attention_head_dim=8,
        cross_attention_dim=text,
        addition_embed_type="text",
        addition_embed_type_num_heads=4,
        norm_num_groups=groups,
    )


def sd15_config() -> dict:
    return dict(
        sample_size=64,
        in_channels=4,
        out_channels=4,
        block_out_channels=[320, 640, 1280, 1280],
        layers_per_block=2,
        down_block_types=["CrossAttnDownBlock2D"] * 3 + ["DownBlock2D"],
        up_block_types=["UpBlock2D"] + ["CrossAttnUpBlock2D"] * 3,
        attention_head_dim=8,
        cross_attention_dim=768,
    )


def add_lora(unet, torch, rank: int, alpha: float):
    """Rank-`rank` adapters beside every attention projection; returns the trained parameters."""
    nn = torch.nn

    class LoraLinear(nn.Module):
        def __init__(self, base):
            super().__init__()
            self.base = base
            self.down = nn.Linear(base.in_features, rank, bias=False)
            self.up = nn.Linear(rank, base.out_features, bias=False)
            nn.init.normal_(self.down.weight, std=1.0 / rank)
            nn.init.zeros_(self.up.weight)
            self.scale = alpha / rank

        def forward(self, x):
            return self.base(x) + self.up(self.down(x)) * self.scale

    for p in unet.parameters():
        p.requires_grad_(False)
    trained = []
    for module in list(unet.modules()):
        if type(module).__name__ != "Attention":
            continue
        for name in ("to_q", "to_k", "to_v"):
            lora = LoraLinear(getattr(module, name))
            setattr(module, name, lora)
            trained += [lora.down.weight, lora.up.weight]
        lora = LoraLinear(module.to_out[0])
        module.to_out[0] = lora
        trained += [lora.down.weight, lora.up.weight]
    return trained


def busy_cpu_seconds() -> float:
    """CPU seconds all processes have run so far (/proc/stat: all but idle and iowait)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def run_case(case: str, runs: int, warmup: int, threads: int, profile: bool = False) -> dict:
    import torch
    from diffusers import UNet2DConditionModel

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    if case.startswith("preset_"):
        config = preset_config(case[len("preset_"):])
        unet = UNet2DConditionModel.from_config(config)
        params = [p for p in unet.parameters()]
        sample = torch.randn(4, 3, 64, 128)
        text = torch.randn(4, 32, config["cross_attention_dim"])
        clip = 1.0
    else:
        px = int(case.split("_")[2])
        unet = UNet2DConditionModel.from_config(sd15_config())
        params = add_lora(unet, torch, 4, 4.0)
        if case.endswith("_checkpointing"):
            unet.enable_gradient_checkpointing()
        sample = torch.randn(1, 4, px // 8, px // 8)
        text = torch.randn(1, 77, 768)
        clip = 1.0
    unet.train()
    target = torch.randn_like(sample)
    t = torch.arange(sample.shape[0]) * 97 + 1
    opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=1e-2)

    def step():
        opt.zero_grad(set_to_none=False)
        loss = torch.nn.functional.mse_loss(unet(sample, t, text).sample, target)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, clip)
        opt.step()

    for _ in range(warmup):
        step()
    walls, cpus, clean = [], [], []
    for _ in range(runs):
        busy0 = busy_cpu_seconds()
        w0, c0 = time.perf_counter(), time.process_time()
        step()
        wall = time.perf_counter() - w0
        own = time.process_time() - c0
        walls.append(wall)
        cpus.append(own / threads)
        # Cores the rest of the machine used meanwhile: a run is clean below 0.15.
        if (busy_cpu_seconds() - busy0 - own) / wall < 0.15:
            clean.append(wall)
    walls.sort()
    cpus.sort()
    clean.sort()
    shares = None
    if profile:
        # One more step under the profiler: operators by self time, as bench-diffusion prints them.
        from torch.profiler import ProfilerActivity
        from torch.profiler import profile as torch_profile

        with torch_profile(activities=[ProfilerActivity.CPU]) as prof:
            step()
        events = sorted(prof.key_averages(), key=lambda e: e.self_cpu_time_total, reverse=True)
        total = sum(e.self_cpu_time_total for e in events) or 1
        shares = {e.key: round(e.self_cpu_time_total / total, 4) for e in events[:12]}
    hwm_kb = 0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                hwm_kb = int(line.split()[1])
    return dict(
        median_s=walls[len(walls) // 2],
        clean_median_s=clean[len(clean) // 2] if clean else None,
        clean_runs=len(clean),
        cpu_est_s=cpus[len(cpus) // 2],
        runs=runs,
        warmup=warmup,
        peak_rss_gb=hwm_kb / 1024 / 1024,
        trained_params=sum(p.numel() for p in params),
        **({"profile_self_time_shares": shares} if shares is not None else {}),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--diffusers-src", help="folder holding the diffusers package")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--only", help="comma-separated cases of: " + ", ".join(CASES))
    ap.add_argument("--out", default="generator_training_peer.json")
    ap.add_argument("--profile", action="store_true",
                    help="after timing, profile one more step and record the operators' shares")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.diffusers_src:
        sys.path.insert(0, args.diffusers_src)
    if args.case:
        sd15 = args.case.startswith("sd15")
        # SD-1.5 steps take seconds to tens of seconds: one untimed run, then --runs timed ones,
        # as the Java bench does.
        result = run_case(args.case, args.runs, 1 if sd15 else args.warmup, args.threads, args.profile)
        print(json.dumps(result))
        return
    cases = args.only.split(",") if args.only else CASES
    blocks = {}
    for case in cases:
        if case not in CASES:
            sys.exit(f"unknown case {case}; cases: {', '.join(CASES)}")
        cmd = [sys.executable, __file__, "--case", case, "--threads", str(args.threads),
               "--runs", str(args.runs), "--warmup", str(args.warmup)]
        if args.profile:
            cmd.append("--profile")
        if args.diffusers_src:
            cmd += ["--diffusers-src", args.diffusers_src]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"{case} failed:\n{done.stderr}")
        blocks[f"single:{case}.train_step"] = json.loads(done.stdout.strip().splitlines()[-1])
        print(case, blocks[f"single:{case}.train_step"], flush=True)
    import torch

    result = dict(
        what="PyTorch CPU times of image2music's generator training steps (bench-diffusion's cases)",
        environment=dict(
            torch_version=torch.__version__,
            threads=args.threads,
            python=platform.python_version(),
            cpu=platform.processor() or platform.machine(),
            load_average=os.getloadavg(),
            malloc=dict((k, os.environ.get(k)) for k in ("MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_")),
        ),
        summary=dict(blocks=blocks),
    )
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f, indent=1)
    os.replace(tmp, args.out)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
