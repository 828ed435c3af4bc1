"""Writes src/main/resources/org/convmirror/internal/nn/fused_updates.pt, a TorchScript module whose methods
update all of a network's tensors in one engine call: the Adam step (libtorch's own
torch._fused_adam_, one pass over each parameter), clearing gradients, the weight average, and
clipping. Loaded by org.convmirror.internal.nn.FusedUpdates; without it each of these costs several engine
calls, temporaries and JNI round trips per parameter.

TorchScript is stored as source and compiled again when loaded, so the module runs the loading
libtorch's kernels: _fused_adam_ has a CPU kernel from libtorch 2.4 on (DJL 0.36 loads 2.7.1),
although the Debian torch 1.13 that scripts it only knows the op's schema.

Run with Debian's python3-torch 1.13 (or any PyTorch >= 1.13):
    /usr/bin/python3 tools/make_fused_updates_module.py
"""
import pathlib
from typing import List, Optional

import torch
from torch import Tensor


class FusedUpdates(torch.nn.Module):
    @torch.jit.export
    def gradients(self, params: List[Tensor]) -> List[Optional[Tensor]]:
        """Each parameter's gradient, None where it has none."""
        # Read as Optional, or TorchScript (whose prim::grad says Tensor) folds the None checks.
        grads: List[Optional[Tensor]] = []
        for p in params:
            grads.append(p.grad)
        return grads

    @torch.jit.export
    def adam(self, params: List[Tensor], exp_avgs: List[Tensor], exp_avg_sqs: List[Tensor],
             hyper: List[float]):
        """One Adam step (Kingma & Ba 2015, PyTorch's placement of eps), then clears the gradients.

        hyper: [lr, beta1, beta2, eps, step], step counted from 1. A parameter that has no
        gradient yet counts as having a zero one, as DJL's getGradient() has it.
        """
        found = self.gradients(params)
        grads: List[Tensor] = []
        for i in range(len(params)):
            g = found[i]
            if g is not None:
                grads.append(g)
            else:
                grads.append(torch.zeros_like(params[i]))
        step = torch.full([1], hyper[4])
        torch._fused_adam_(params, grads, exp_avgs, exp_avg_sqs, [], [step for _ in params],
                           lr=hyper[0], beta1=hyper[1], beta2=hyper[2], weight_decay=0.0,
                           eps=hyper[3], amsgrad=False, maximize=False)
        self.zero_gradients(params)

    @torch.jit.export
    def zero_gradients(self, params: List[Tensor]):
        """Clears every gradient there is."""
        grads = self.gradients(params)
        for i in range(len(params)):
            if grads[i] is not None:
                # One zero_ per tensor through prim::grad, not _foreach_zero_ over a list made
                # here: TorchScript's alias analysis takes a foreach write to a local list for
                # dead code and drops it.
                params[i].grad.zero_()

    @torch.jit.export
    def average(self, live: List[Tensor], average: List[Tensor], live_state: List[Tensor],
                average_state: List[Tensor], keep: float, take: float):
        """average <- keep * average + take * live; average_state <- live_state (copied)."""
        torch._foreach_mul_(average, keep)
        torch._foreach_add_(average, live, alpha=take)
        for i in range(len(live_state)):
            average_state[i].copy_(live_state[i])

    @torch.jit.export
    def clamp(self, params: List[Tensor], bound: float):
        """Clips every element into [-bound, bound] in place (the WGAN critic's weights)."""
        for p in params:
            p.clamp_(-bound, bound)

    @torch.jit.export
    def require_gradients(self, params: List[Tensor], flag: bool):
        """Sets requires_grad on every tensor: freezing the discriminator during the generator's
        backward pass spares computing weight gradients that would be thrown away."""
        for p in params:
            p.requires_grad_(flag)

    def forward(self, x: Tensor) -> Tensor:
        return x  # unused: TorchScript wants a forward; the methods above are called by name


if __name__ == "__main__":
    out = pathlib.Path(__file__).resolve().parent.parent / "src/main/resources/org/convmirror/internal/nn"
    torch.jit.script(FusedUpdates()).save(str(out / "fused_updates.pt"))
    print("wrote", out / "fused_updates.pt")
