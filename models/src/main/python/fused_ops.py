"""Writes models/src/main/resources/image2music/models/nn/fused_ops.pt.

DJL 0.33 exposes neither fused attention nor SiLU, but it runs TorchScript modules on its own
libtorch, so this module hands its inputs to libtorch's fused kernels, forward and backward:
scaled_dot_product_attention (on a CPU its flash-attention kernels: no [L, S] score matrix in
memory) and silu (one pass instead of sigmoid, a product, and three more in the backward pass).
FusedOps loads it. Regenerate with a PyTorch whose TorchScript format libtorch 2.5.1 reads
(written with 2.13.0+cpu):

    python fused_ops.py OUT.pt
"""
import sys

import torch


class FusedOps(torch.nn.Module):
    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        # softmax(q kᵀ / √d) v, d = q's last axis.
        return torch.nn.functional.scaled_dot_product_attention(q, k, v)

    @torch.jit.export
    def silu(self, x: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.silu(x)


if __name__ == "__main__":
    torch.jit.script(FusedOps()).save(sys.argv[1])
