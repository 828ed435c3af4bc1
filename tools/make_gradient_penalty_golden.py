"""Writes src/test/resources/golden/gradient_penalty.{npz,json}: WGAN-GP and R1 penalties and
their gradients with respect to every critic parameter, from plain PyTorch on two tiny critics
built like convmirror's discriminators (GradientPenaltyGoldenTest rebuilds them in DJL):

  bn: conv(1->4, k4 s2 p1) -> leaky_relu(0.2) -> conv(4->8, k4 s2 p1, no bias) -> batch_norm
      -> leaky_relu(0.2) -> conv(8->1, k2) -> flatten                       (training mode)
  sn: the same convs, each with spectral_norm, no batch norm, then flatten -> linear(8*2*2 -> 1)
      with spectral_norm                                                    (training mode)

Inputs: a batch of 4 "real" and 4 "fake" 1x8x8 images and 4 interpolation weights. For each critic
C and penalty P in {wgangp (lambda 10), r1 (gamma 10)} the archive holds C_p<i> (parameter i in
the order the JSON lists, PyTorch layout), C_u<j>/C_v<j> (spectral norm's vectors before the
forward pass), C_P_value, C_P_out (the critic's output on the penalised input) and C_P_g<i> (the
gradient of the penalty with respect to parameter i).

Run with Debian's python3-torch 1.13:  /usr/bin/python3 tools/make_gradient_penalty_golden.py
"""
import json
import pathlib

import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils import spectral_norm

LAMBDA = 10.0
GAMMA = 10.0


def critic(kind):
    if kind == "bn":
        return nn.Sequential(
            nn.Conv2d(1, 4, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(4, 8, 4, 2, 1, bias=False), nn.BatchNorm2d(8), nn.LeakyReLU(0.2),
            nn.Conv2d(8, 1, 2), nn.Flatten())
    return nn.Sequential(
        spectral_norm(nn.Conv2d(1, 4, 4, 2, 1)), nn.LeakyReLU(0.2),
        spectral_norm(nn.Conv2d(4, 8, 4, 2, 1)), nn.LeakyReLU(0.2),
        nn.Flatten(), spectral_norm(nn.Linear(32, 1)))


def penalty(net, kind, real, fake, eps):
    n = real.shape[0]
    if kind == "wgangp":
        x = (eps * real + (1 - eps) * fake).detach().requires_grad_(True)
    else:
        x = real.detach().clone().requires_grad_(True)
    out = net(x)
    g = torch.autograd.grad(out, x, torch.ones_like(out), create_graph=True)[0].reshape(n, -1)
    if kind == "wgangp":
        return LAMBDA * ((g.norm(2, dim=1) - 1) ** 2).mean(), out
    return GAMMA / 2 * g.pow(2).sum(1).mean(), out


def main():
    torch.manual_seed(2024)
    arrays = {}
    real = torch.rand(4, 1, 8, 8) * 2 - 1
    fake = torch.tanh(torch.randn(4, 1, 8, 8))
    eps = torch.rand(4, 1, 1, 1)
    arrays.update(real=real, fake=fake, eps=eps.reshape(4))
    meta = {"lambda": LAMBDA, "gamma": GAMMA, "torch": torch.__version__, "params": {}}
    for name in ["bn", "sn"]:
        net = critic(name)
        with torch.no_grad():  # weights of a trained-looking size, not the 1/sqrt(fan_in) default
            for p in net.parameters():
                p.normal_(0, 0.3)
        params = [(k, p) for k, p in net.named_parameters()]
        meta["params"][name] = [k for k, _ in params]
        for i, (_, p) in enumerate(params):
            arrays[f"{name}_p{i}"] = p.detach().clone()
        buffers = [(k, b) for k, b in net.named_buffers() if k.endswith("weight_u")
                   or k.endswith("weight_v")]
        for j, (k, b) in enumerate(b for b in buffers if b[0].endswith("weight_u")):
            arrays[f"{name}_u{j}"] = b.detach().clone()
        for j, (k, b) in enumerate(b for b in buffers if b[0].endswith("weight_v")):
            arrays[f"{name}_v{j}"] = b.detach().clone()
        state = {k: v.clone() for k, v in net.state_dict().items()}
        for kind in ["wgangp", "r1"]:
            net.load_state_dict(state)  # spectral norm's u, v and batch norm's statistics afresh
            net.train()
            net.zero_grad()
            value, out = penalty(net, kind, real, fake, eps)
            value.backward()
            arrays[f"{name}_{kind}_value"] = value.detach().reshape(1)
            arrays[f"{name}_{kind}_out"] = out.detach()
            for i, (_, p) in enumerate(params):
                # None: the input gradient does not depend on p (a last bias, say)
                grad = torch.zeros_like(p) if p.grad is None else p.grad
                arrays[f"{name}_{kind}_g{i}"] = grad.detach().clone()
    out = pathlib.Path(__file__).resolve().parent.parent / "src/test/resources/golden"
    np.savez(out / "gradient_penalty.npz",
             **{k: v.numpy().astype(np.float32) for k, v in arrays.items()})
    (out / "gradient_penalty.json").write_text(json.dumps(meta, indent=1) + "\n")
    print("wrote", out / "gradient_penalty.npz", len(arrays), "arrays")


if __name__ == "__main__":
    main()
