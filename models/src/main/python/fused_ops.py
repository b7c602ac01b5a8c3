"""Writes models/src/main/resources/image2music/models/nn/fused_ops.pt.

DJL 0.33 exposes neither fused attention nor SiLU, but it runs TorchScript modules on its own
libtorch, so this module hands its inputs to libtorch's fused kernels, forward and backward:
scaled_dot_product_attention (on a CPU its flash-attention kernels: no [L, S] score matrix in
memory), silu (one pass instead of sigmoid, a product, and three more in the backward pass),
group_norm (native, instead of layer_norm over regrouped channels and a separate affine), the two
in one call, nearest-neighbour upsampling, and AdamW's update of a whole list of parameters in
one multi-tensor kernel.
FusedOps loads it. Regenerate with a PyTorch whose TorchScript format libtorch 2.5.1 reads
(written with 2.13.0+cpu):

    python fused_ops.py OUT.pt
"""
import sys
from typing import List

import torch


class FusedOps(torch.nn.Module):
    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        # softmax(q kᵀ / √d) v, d = q's last axis.
        return torch.nn.functional.scaled_dot_product_attention(q, k, v)

    @torch.jit.export
    def silu(self, x: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.silu(x)

    @torch.jit.export
    def group_norm(
        self, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor, groups: torch.Tensor, eps: torch.Tensor
    ) -> torch.Tensor:
        # DJL hands a module tensors only: the group count and epsilon come as 0-d tensors.
        # contiguous(): on a channels-last input (an attention output permuted back) the kernel
        # answers channels-last, which the convolutions after it carry on to the model's output,
        # and DJL copies such arrays on every read, into the caller's manager.
        return torch.nn.functional.group_norm(
            x.contiguous(), int(groups.item()), w, b, float(eps.item())
        )

    @torch.jit.export
    def group_norm_silu(
        self, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor, groups: torch.Tensor, eps: torch.Tensor
    ) -> torch.Tensor:
        # Every group norm of the UNet's and VAE's resnets is followed by SiLU. Without autograd
        # the SiLU overwrites the norm's fresh output: one tensor less to allocate and stream
        # (each is 128 MB in the VAE's last level at 512 px). With autograd it cannot (SiLU's
        # backward needs its input).
        y = self.group_norm(x, w, b, groups, eps)
        return torch.nn.functional.silu(y, inplace=not torch.is_grad_enabled())

    @torch.jit.export
    def upsample_nearest2x(self, x: torch.Tensor) -> torch.Tensor:
        # Each value twice along H and W in one kernel (a broadcast view made contiguous is a
        # generic strided copy); the aten op itself, as a scripted F.interpolate brings its whole
        # argument handling along.
        return torch.ops.aten.upsample_nearest2d(x, [2 * x.size(2), 2 * x.size(3)])

    @torch.jit.export
    def adamw_(
        self,
        params: List[torch.Tensor],
        grads: List[torch.Tensor],
        exp_avgs: List[torch.Tensor],
        exp_avg_sqs: List[torch.Tensor],
        step: torch.Tensor,
        lr: float,
        beta1: float,
        beta2: float,
        weight_decay: float,
        eps: float,
    ) -> torch.Tensor:
        # torch.optim.AdamW(fused=True)'s kernel: each element of p, g, m and v is read once per
        # step, where the textbook sequence of tensor ops streams them a dozen times. `step` is the
        # step count after this update (the kernel reads it for the bias corrections).
        steps = [step for _ in params]
        with torch.no_grad():
            torch._fused_adamw_(
                params, grads, exp_avgs, exp_avg_sqs, [], steps,
                lr=lr, beta1=beta1, beta2=beta2, weight_decay=weight_decay, eps=eps,
                amsgrad=False, maximize=False,
            )
        return step


if __name__ == "__main__":
    torch.jit.script(FusedOps()).save(sys.argv[1])
