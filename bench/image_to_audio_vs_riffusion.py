#!/usr/bin/env python3
"""The whole `image-to-audio` command beside Riffusion's, in one run on the same machine.

Both sides are timed as a user meets them, from process start to the WAV on disk:
  * ours: `./image2music image-to-audio --image PNG --audio OUT.wav` (JVM start included);
  * Riffusion: a fresh Python process that imports Riffusion's unmodified spectrogram code
    (riffusion/riffusion-hobby, `--riffusion-src` = the checkout's root), reads the PNG, builds
    `SpectrogramParams.from_exif`, runs `SpectrogramImageConverter(params, device="cpu")
    .audio_from_spectrogram_image(image)` (apply_filters=True, torch seed 0) and exports the WAV.
The runs alternate (ours, Riffusion, ours, ...), so a slow spell of the machine hits both; the
figures are medians. A first, untimed run of ours builds the JVM's start-up cache, as any user's
first command does.

Quality, for both outputs, with Riffusion's own code as the yardstick: the mel spectral
convergence ||R - aE|| / ||R|| (least-squares gain a) between R, the mel magnitudes the image
holds (`spectrogram_from_image`), and E, the mel magnitudes of the WAV
(`SpectrogramConverter.spectrogram_from_audio`), over the frames both have.

Needs torch, torchaudio, pydub, numpy, scipy and Pillow (Debian 12: python3-torchaudio,
python3-pydub, python3-scipy, python3-pil), with OpenBLAS set up as the project's PyTorch peers
want it: Debian's scipy pulls in the pthread build of OpenBLAS and makes it the default, which
oversubscribes 2 cores under torch's OpenMP threads (the training peer's tiny step went from 0.47 s
to 0.77-0.92 s). Install libopenblas0-openmp and select it for libblas.so.3, liblapack.so.3 and
libopenblas.so.0 (`update-alternatives --set ...`). Prints a table and, with --out, writes JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Run as `python3 -c` in a child process: Riffusion's image-to-audio as one command.
RIFFUSION_COMMAND = r"""
import sys
sys.path.insert(0, sys.argv[1])
import torch
torch.set_num_threads(int(sys.argv[4]))
from PIL import Image
from riffusion.spectrogram_image_converter import SpectrogramImageConverter
from riffusion.spectrogram_params import SpectrogramParams
image = Image.open(sys.argv[2])
params = SpectrogramParams.from_exif(image.getexif())
torch.manual_seed(0)
segment = SpectrogramImageConverter(params=params, device="cpu").audio_from_spectrogram_image(
    image, apply_filters=True, max_value=30e6)
segment.export(sys.argv[3], format="wav")
"""


def avx512() -> bool:
    try:
        with open("/proc/cpuinfo") as f:
            return " avx512f" in f.read()
    except OSError:
        return False


def timed(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr.strip()}")
    return elapsed


def mel_sc(riffusion_src: str, image_path: str, wav_path: str) -> float:
    sys.path.insert(0, riffusion_src)
    import numpy as np
    import pydub
    from PIL import Image
    from riffusion.spectrogram_converter import SpectrogramConverter
    from riffusion.spectrogram_params import SpectrogramParams
    from riffusion.util import image_util

    image = Image.open(image_path)
    params = SpectrogramParams.from_exif(image.getexif())
    reference = image_util.spectrogram_from_image(
        image, power=params.power_for_image, stereo=params.stereo
    )
    segment = pydub.AudioSegment.from_file(wav_path)
    if segment.frame_rate != params.sample_rate:
        segment = segment.set_frame_rate(params.sample_rate)
    if segment.channels != reference.shape[0]:
        segment = segment.set_channels(reference.shape[0])
    estimate = SpectrogramConverter(params=params, device="cpu").spectrogram_from_audio(segment)
    frames = min(reference.shape[-1], estimate.shape[-1])
    r = reference[..., :frames].astype(np.float64).ravel()
    e = estimate[..., :frames].astype(np.float64).ravel()
    gain = float(r @ e) / max(float(e @ e), 1e-300)
    return float(np.linalg.norm(r - gain * e) / np.linalg.norm(r))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--riffusion-src", required=True, help="riffusion-hobby checkout (holds riffusion/)")
    ap.add_argument("--image", required=True, help="spectrogram PNG with Riffusion's EXIF tags")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    ap.add_argument("--threads", type=int, default=os.cpu_count(), help="torch threads for Riffusion")
    ap.add_argument("--image2music", default=os.path.join(ROOT, "image2music"), help="our launcher")
    ap.add_argument("--out", help="write the results as JSON here")
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.riffusion_src, "riffusion", "spectrogram_converter.py")):
        sys.exit(f"{args.riffusion_src}: no riffusion/spectrogram_converter.py (want the checkout's root)")
    if args.runs < 1:
        sys.exit("--runs must be >= 1")

    env = dict(os.environ)
    # Debian's OpenBLAS 0.3.21 misdetects recent AVX-512 Xeons and picks a slow kernel; the PyTorch
    # peers of bench-diffusion set the same.
    if avx512():
        env.setdefault("OPENBLAS_CORETYPE", "SkylakeX")
    env.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))
    with tempfile.TemporaryDirectory(prefix="i2a-vs-riffusion-") as tmp:
        ours_wav = os.path.join(tmp, "ours.wav")
        riff_wav = os.path.join(tmp, "riffusion.wav")
        ours_cmd = [args.image2music, "image-to-audio", "--image", args.image, "--audio", ours_wav]
        riff_cmd = [sys.executable, "-c", RIFFUSION_COMMAND, args.riffusion_src, args.image, riff_wav,
                    str(args.threads)]
        timed(ours_cmd, env)
        ours, riffusion = [], []
        for i in range(args.runs):
            ours.append(timed(ours_cmd, env))
            riffusion.append(timed(riff_cmd, env))
            print(f"run {i + 1}/{args.runs}: ours {ours[-1]:.2f} s, Riffusion {riffusion[-1]:.2f} s",
                  file=sys.stderr, flush=True)
        ours_sc = mel_sc(args.riffusion_src, args.image, ours_wav)
        riff_sc = mel_sc(args.riffusion_src, args.image, riff_wav)

    ours_s, riff_s = statistics.median(ours), statistics.median(riffusion)
    result = {
        "image": os.path.abspath(args.image),
        "runs": args.runs,
        "cpu": platform.processor() or platform.machine(),
        "nproc": os.cpu_count(),
        "ours_s": ours, "riffusion_s": riffusion,
        "ours_median_s": ours_s, "riffusion_median_s": riff_s,
        "speed_up": riff_s / ours_s,
        "ours_mel_sc": ours_sc, "riffusion_mel_sc": riff_sc,
    }
    print(f"image-to-audio {os.path.basename(args.image)}, median of {args.runs}, whole commands:")
    print(f"  ours       {ours_s:7.2f} s   mel SC {ours_sc:.4f}")
    print(f"  Riffusion  {riff_s:7.2f} s   mel SC {riff_sc:.4f}")
    print(f"  speed-up   {riff_s / ours_s:7.1f}x")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
