"""Writes src/main/resources/org/convmirror/internal/nn/input_gradient.pt, a TorchScript module whose
forward is torch.autograd.grad(out, x, ones, create_graph=True): the gradient of sum(out) with
respect to x only, itself recorded for a later backward (double backward). DJL's
GradientCollector offers no create_graph, and Tensor.backward(create_graph=True) would also
accumulate into (and tie a reference cycle with) every parameter it reaches. Loaded by
GradientPenalty.

Run with any PyTorch >= 1.10 (tested: Debian's python3-torch 1.13, loaded by libtorch 2.7.1):
    /usr/bin/python3 tools/make_input_gradient_module.py
"""
import pathlib
from typing import List, Optional

import torch


class InputGradient(torch.nn.Module):
    def forward(self, out: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        ones: List[Optional[torch.Tensor]] = [torch.ones_like(out)]
        # retain_graph defaults to create_graph: the critic's graph stays for the loss's backward.
        grads = torch.autograd.grad([out], [x], ones, create_graph=True)
        g = grads[0]
        assert g is not None
        return g


if __name__ == "__main__":
    out = pathlib.Path(__file__).resolve().parent.parent / "src/main/resources/org/convmirror/internal/nn"
    torch.jit.script(InputGradient()).save(str(out / "input_gradient.pt"))
    print("wrote", out / "input_gradient.pt")
