"""PyTorch side of the bf16 prototype (issue 15): SD-1.5's heaviest UNet blocks in F32 and bf16.

`make DIR` builds diffusers' ResnetBlock2D and Transformer2DModel at SD-1.5's first-stage sizes
with seeded weights and writes DIR/resnet.safetensors, DIR/transformer.safetensors (HF keys) and
DIR/io.safetensors (inputs plus the F32 outputs every variant is compared with).
`trace DIR` writes TorchScript traces of both blocks, F32 and bf16, for DJL to run.
`serve DIR` times F32, bf16 weights and bf16 autocast for interleave.py, which alternates this
process with the Java engines' (protocol in BlockBench's Javadoc).
"""

import argparse
import json
import os
import sys
import time

import torch
from safetensors.torch import load_file, save_file

sys.path.insert(0, os.environ.get("DIFFUSERS_SRC", "/tmp/dsrc/src"))
from diffusers.models.resnet import ResnetBlock2D  # noqa: E402
from diffusers.models.transformers.transformer_2d import Transformer2DModel  # noqa: E402

SEED = 15
BATCH, CHANNELS, SIZE, TEMB = 2, 320, 64, 1280
HEADS, HEAD_DIM, TEXT_LEN, TEXT_DIM = 8, 40, 77, 768


def build():
    """The two blocks exactly as SD-1.5's first down block configures them."""
    resnet = ResnetBlock2D(
        in_channels=CHANNELS, out_channels=CHANNELS, temb_channels=TEMB, groups=32, eps=1e-5
    )
    transformer = Transformer2DModel(
        num_attention_heads=HEADS,
        attention_head_dim=HEAD_DIM,
        in_channels=CHANNELS,
        num_layers=1,
        cross_attention_dim=TEXT_DIM,
        norm_num_groups=32,
        use_linear_projection=False,
    )
    return resnet.eval(), transformer.eval()


def perturb_norms(module, gen):
    # Norm weights start at exactly 1 and biases at 0; random ones make the comparison see them.
    for name, p in module.named_parameters():
        if "norm" in name:
            with torch.no_grad():
                centre = 1.0 if name.endswith("weight") else 0.0
                p.copy_(centre + 0.1 * torch.randn(p.shape, generator=gen))


def make(out_dir):
    torch.manual_seed(SEED)
    resnet, transformer = build()
    gen = torch.Generator().manual_seed(SEED)
    perturb_norms(resnet, gen)
    perturb_norms(transformer, gen)
    x = torch.randn(BATCH, CHANNELS, SIZE, SIZE, generator=gen)
    temb = torch.randn(BATCH, TEMB, generator=gen)
    context = torch.randn(BATCH, TEXT_LEN, TEXT_DIM, generator=gen)
    with torch.inference_mode():
        ref_resnet = resnet(x, temb)
        ref_transformer = transformer(x, encoder_hidden_states=context, return_dict=False)[0]
    os.makedirs(out_dir, exist_ok=True)
    for name, block in (("resnet", resnet), ("transformer", transformer)):
        weights = {k: v.contiguous() for k, v in block.state_dict().items()}
        save_file(weights, f"{out_dir}/{name}.safetensors")
    io = {"x": x, "temb": temb, "context": context}
    io.update(ref_resnet=ref_resnet, ref_transformer=ref_transformer)
    save_file(io, f"{out_dir}/io.safetensors")


def load(out_dir):
    resnet, transformer = build()
    resnet.load_state_dict(load_file(f"{out_dir}/resnet.safetensors"))
    transformer.load_state_dict(load_file(f"{out_dir}/transformer.safetensors"))
    return resnet, transformer, load_file(f"{out_dir}/io.safetensors")


def difference(out, ref):
    out = out.float()
    return {
        "max_abs": (out - ref).abs().max().item(),
        "rel_l2": ((out - ref).norm() / ref.norm()).item(),
    }


class F32Boundary(torch.nn.Module):
    """Runs a block in `dtype` behind F32 inputs and outputs: DJL 0.33 aborts on any bf16 tensor
    it sees, so a TorchScript module run by DJL has to keep bf16 inside."""

    def __init__(self, block, dtype):
        super().__init__()
        self.block = block.to(dtype)
        self.dtype = dtype

    def forward(self, x, cond):
        x, cond = x.to(self.dtype), cond.to(self.dtype)
        if isinstance(self.block, Transformer2DModel):
            out = self.block(x, encoder_hidden_states=cond, return_dict=False)[0]
        else:
            out = self.block(x, cond)
        return out.float()


def trace(out_dir):
    """Writes DIR/{resnet,transformer}_{f32,bf16}.pt, TorchScript traces for DJL to run."""
    _, _, io = load(out_dir)
    conds = {"resnet": io["temb"], "transformer": io["context"]}
    for precision, dtype in (("f32", torch.float32), ("bf16", torch.bfloat16)):
        # Fresh blocks per precision, so that casting one leaves the other in F32.
        resnet, transformer, _ = load(out_dir)
        for name, block in (("resnet", resnet), ("transformer", transformer)):
            with torch.no_grad():
                traced = torch.jit.trace(
                    F32Boundary(block, dtype).eval(), (io["x"], conds[name]), check_trace=False
                )
            traced.save(f"{out_dir}/{name}_{precision}.pt")


def serve(out_dir):
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
    resnet, transformer, io = load(out_dir)
    x, temb, context = io["x"], io["temb"], io["context"]
    bf = torch.bfloat16
    # Inputs cast once, outside the timed calls, as the Java side does.
    x_bf, temb_bf, context_bf = x.to(bf), temb.to(bf), context.to(bf)
    # Copies cast to bf16 (module.to casts in place), the F32 originals kept for F32 and autocast.
    resnet_bf, transformer_bf, _ = load(out_dir)
    resnet_bf, transformer_bf = resnet_bf.to(bf), transformer_bf.to(bf)

    def autocast(fn):
        def run():
            with torch.autocast("cpu", dtype=bf):
                return fn()

        return run

    resnet_f32 = lambda: resnet(x, temb)  # noqa: E731
    transformer_f32 = lambda: transformer(  # noqa: E731
        x, encoder_hidden_states=context, return_dict=False
    )[0]
    variants = [
        ("resnet", "pytorch-f32", resnet_f32),
        ("resnet", "pytorch-bf16", lambda: resnet_bf(x_bf, temb_bf)),
        ("resnet", "pytorch-autocast-bf16", autocast(resnet_f32)),
        ("transformer", "pytorch-f32", transformer_f32),
        (
            "transformer",
            "pytorch-bf16",
            lambda: transformer_bf(
                x_bf, encoder_hidden_states=context_bf, return_dict=False
            )[0],
        ),
        ("transformer", "pytorch-autocast-bf16", autocast(transformer_f32)),
    ]
    # The same protocol as BlockBench: "ready", then per input line one call of every variant,
    # one JSON line each (the first call with its difference from the F32 reference), "end".
    print("ready", flush=True)
    first = True
    with torch.inference_mode():
        for _ in sys.stdin:
            for block, variant, fn in variants:
                t0 = time.perf_counter()
                out = fn()
                row = {"block": block, "variant": variant, "ms": (time.perf_counter() - t0) * 1e3}
                if first:
                    row.update(difference(out, io["ref_" + block]))
                print(json.dumps(row))
            print("end", flush=True)
            first = False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["make", "trace", "serve"])
    parser.add_argument("dir")
    args = parser.parse_args()
    if args.mode == "make":
        make(args.dir)
    elif args.mode == "trace":
        trace(args.dir)
    else:
        serve(args.dir)


if __name__ == "__main__":
    main()
