"""Writes models/src/main/resources/image2music/models/nn/scaled_dot_product_attention.pt.

DJL 0.33 exposes no fused attention, but it runs TorchScript modules on its own libtorch, so this
one-operator module hands q, k, v to libtorch's scaled_dot_product_attention (on a CPU its
flash-attention kernels, forward and backward: no [L, S] score matrix in memory). FusedAttention
loads it. Regenerate with a PyTorch whose TorchScript format libtorch 2.5.1 reads (written with
2.13.0+cpu):

    python scaled_dot_product_attention.py OUT.pt
"""
import sys

import torch


class ScaledDotProductAttention(torch.nn.Module):
    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        # softmax(q kᵀ / √d) v, d = q's last axis.
        return torch.nn.functional.scaled_dot_product_attention(q, k, v)


if __name__ == "__main__":
    torch.jit.script(ScaledDotProductAttention()).save(sys.argv[1])
