"""Writes src/main/resources/org/convmirror/internal/nn/conv_transpose2d.pt, a TorchScript module whose
forward is torch.conv_transpose2d: the native transposed-convolution kernel (forward and
backward), which DJL's PyTorch engine does not expose otherwise. Loaded by ConvTransposeOps.

Run with any PyTorch >= 1.10 (tested: Debian's python3-torch 1.13, loaded by libtorch 2.7.1):
    /usr/bin/python3 tools/make_conv_transpose_module.py
"""
import pathlib
from typing import List

import torch


class ConvTranspose2d(torch.nn.Module):
    def forward(self, x: torch.Tensor, w: torch.Tensor, geometry: torch.Tensor) -> torch.Tensor:
        # geometry: int64 [sH, sW, pH, pW, opH, opW, dH, dW]
        g: List[int] = geometry.tolist()
        return torch.conv_transpose2d(
            x, w, None, [g[0], g[1]], [g[2], g[3]], [g[4], g[5]], 1, [g[6], g[7]])


if __name__ == "__main__":
    out = pathlib.Path(__file__).resolve().parent.parent / "src/main/resources/org/convmirror/internal/nn"
    torch.jit.script(ConvTranspose2d()).save(str(out / "conv_transpose2d.pt"))
    print("wrote", out / "conv_transpose2d.pt")
