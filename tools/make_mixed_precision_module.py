"""Writes src/main/resources/org/convmirror/internal/nn/mixed_precision.pt, a TorchScript module
whose forward is one convolution or transposed convolution computed in bfloat16 from float32
operands, its result float32 again: mixed-precision training's convolution (weights, gradients,
optimiser state and every other op stay float32; the casts are differentiable, so autograd
carries float32 gradients back to the float32 weights). DJL 0.36 cannot make or read bfloat16
arrays itself, so the casts live inside the module and no bfloat16 tensor ever reaches Java.

Run with any PyTorch >= 1.10 (tested: Debian's python3-torch 1.13, loaded by libtorch 2.7.1):
    /usr/bin/python3 tools/make_mixed_precision_module.py
"""
import pathlib
from typing import List

import torch


class MixedPrecisionConv(torch.nn.Module):
    def forward(self, x: torch.Tensor, w: torch.Tensor, geometry: torch.Tensor) -> torch.Tensor:
        # geometry: int64 [transposed, sH, sW, pH, pW, opH, opW, dH, dW]
        g: List[int] = geometry.tolist()
        xb = x.to(torch.bfloat16)
        wb = w.to(torch.bfloat16)
        if g[0] == 1:
            y = torch.conv_transpose2d(
                xb, wb, None, [g[1], g[2]], [g[3], g[4]], [g[5], g[6]], 1, [g[7], g[8]])
        else:
            y = torch.conv2d(xb, wb, None, [g[1], g[2]], [g[3], g[4]], [g[7], g[8]], 1)
        return y.to(torch.float32)


if __name__ == "__main__":
    out = pathlib.Path(__file__).resolve().parent.parent / "src/main/resources/org/convmirror/internal/nn"
    torch.jit.script(MixedPrecisionConv()).save(str(out / "mixed_precision.pt"))
    print("wrote", out / "mixed_precision.pt")
