#!/usr/bin/env python3
"""PyTorch reference for `convmirror bench`: the same GAN training iteration written directly with
torch.nn (native ConvTranspose2d, BatchNorm2d, LeakyReLU, DCGAN init, Adam 2e-4 / (0.5, 0.999),
BCE on logits, non-saturating G loss), timed the same way and reported with the same numbers.

Not part of the tests. Debian's python3-torch (1.13) is enough:
    /usr/bin/python3 bench/reference.py --model dcgan28 --threads 1
Useful FLOPs per iteration: 2 * batch * (3*G + 9*D), G and D the forward MACs per image (see
org.convmirror.bench.UsefulFlops).
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# (in, out, kernel, stride, padding, bias, batch_norm, activation); from `convmirror plan`.
MODELS = {
    "dcgan28": dict(
        image=(1, 28, 28), latent=100,
        d=[(1, 64, 4, 2, 1, True, False, "lrelu"), (64, 128, 4, 2, 1, False, True, "lrelu"),
           (128, 1, 7, 1, 0, True, False, None)],
        g=[(100, 128, 7, 1, 0, False, True, "relu"), (128, 64, 4, 2, 1, False, True, "relu"),
           (64, 1, 4, 2, 1, True, False, "tanh")]),
    "dcgan64": dict(
        image=(3, 64, 64), latent=100,
        d=[(3, 64, 4, 2, 1, False, False, "lrelu"), (64, 128, 4, 2, 1, False, True, "lrelu"),
           (128, 256, 4, 2, 1, False, True, "lrelu"), (256, 512, 4, 2, 1, False, True, "lrelu"),
           (512, 1, 4, 1, 0, False, False, None)],
        g=[(100, 512, 4, 1, 0, False, True, "relu"), (512, 256, 4, 2, 1, False, True, "relu"),
           (256, 128, 4, 2, 1, False, True, "relu"), (128, 64, 4, 2, 1, False, True, "relu"),
           (64, 3, 4, 2, 1, True, False, "tanh")]),
}


def build(layers, transposed):
    mods = []
    for cin, cout, k, s, p, bias, bn, act in layers:
        conv = nn.ConvTranspose2d if transposed else nn.Conv2d
        mods.append(conv(cin, cout, k, s, p, bias=bias))
        if bn:
            mods.append(nn.BatchNorm2d(cout))
        if act == "lrelu":
            mods.append(nn.LeakyReLU(0.2))
        elif act == "relu":
            mods.append(nn.ReLU())
        elif act == "tanh":
            mods.append(nn.Tanh())
    net = nn.Sequential(*mods)
    for m in net.modules():  # DCGAN init
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
    return net


def macs(layers, image, latent):
    total, (c, h, w) = 0, (latent, 1, 1)
    for cin, cout, k, s, p, *_ in layers:
        if image is None:  # generator: transposed
            ho, wo = (h - 1) * s - 2 * p + k, (w - 1) * s - 2 * p + k
            total += cin * cout * k * k * h * w
        else:
            ho, wo = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
            total += cin * cout * k * k * ho * wo
        c, h, w = cout, ho, wo
    return total


def d_macs(layers, image):
    total, (c, h, w) = 0, image
    for cin, cout, k, s, p, *_ in layers:
        h, w = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        total += cin * cout * k * k * h * w
    return total


def rss_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return -1


def matmul_gflops(n, reps):
    a, b = torch.rand(n, n) * 2 - 1, torch.rand(n, n) * 2 - 1
    a @ b
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        a @ b
        out.append(2.0 * n ** 3 / (time.perf_counter() - t) / 1e9)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="dcgan28", choices=sorted(MODELS))
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--iterations", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--matmul-size", type=int, default=2048)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    spec = MODELS[a.model]
    n, (c, h, w), latent = a.batch_size, spec["image"], spec["latent"]
    G, D = build(spec["g"], True), build(spec["d"], False)
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    batches = [(torch.rand(n * c * h * w) * 2 - 1).tolist() for _ in range(4)]
    phases = dict(data=0.0, g_forward=0.0, d_step=0.0, g_step=0.0, optimizer=0.0)
    before = matmul_gflops(a.matmul_size, 5)
    its, rss = [], {}
    for i in range(a.warmup + a.iterations):
        t0 = time.perf_counter()
        x = torch.tensor(batches[i % 4]).view(n, c, h, w)
        z = torch.randn(n, latent, 1, 1)
        t1 = time.perf_counter()
        fake = G(z)
        t2 = time.perf_counter()
        opt_d.zero_grad(set_to_none=False)
        real_out, fake_out = D(x), D(fake.detach())
        d_loss = F.softplus(-real_out).mean() + F.softplus(fake_out).mean()
        d_loss.backward()
        d_loss.item(), torch.sigmoid(real_out).mean().item(), torch.sigmoid(fake_out).mean().item()
        t3 = time.perf_counter()
        opt_d.step()
        t4 = time.perf_counter()
        opt_g.zero_grad(set_to_none=False)
        for p in D.parameters():
            p.requires_grad_(False)
        g_loss = F.softplus(-D(fake)).mean()
        g_loss.backward()
        g_loss.item()
        for p in D.parameters():
            p.requires_grad_(True)
        t5 = time.perf_counter()
        opt_g.step()
        t6 = time.perf_counter()
        if i >= a.warmup:
            its.append((t6 - t0) * 1e3)
            for k, v in (("data", t1 - t0), ("g_forward", t2 - t1), ("d_step", t3 - t2),
                         ("g_step", t5 - t4), ("optimizer", t4 - t3 + t6 - t5)):
                phases[k] += v * 1e3 / a.iterations
        if i + 1 in (200, 2000):
            rss[str(i + 1)] = rss_kib("VmRSS:")
    rss[str(a.warmup + a.iterations)] = rss_kib("VmRSS:")
    after = matmul_gflops(a.matmul_size, 5)
    gm, dm = macs(spec["g"], None, latent), d_macs(spec["d"], spec["image"])
    flops = 2.0 * n * (3 * gm + 9 * dm)
    med = statistics.median(its)
    matmul = statistics.median(before + after)
    useful = flops / (med / 1e3) / 1e9
    r = dict(model=a.model, batch_size=n, threads=a.threads, torch=torch.__version__,
             load_average=open("/proc/loadavg").read().split()[0],
             iteration_ms_median=med, iteration_ms_mean=statistics.mean(its),
             images_per_second=n / (med / 1e3), phase_ms_mean=phases,
             generator_macs_per_image=gm, discriminator_macs_per_image=dm,
             useful_flops_per_iteration=flops, useful_gflops=useful, matmul_gflops=matmul,
             useful_over_matmul=useful / matmul, rss_kib_after_iteration=rss,
             peak_rss_kib=rss_kib("VmHWM:"))
    if a.json:
        print(json.dumps(r, indent=2))
        return
    print(f"reference (torch {torch.__version__}) {a.model}  batch {n}  threads {a.threads}  "
          f"load {r['load_average']}")
    print(f"iteration: {med:.1f} ms median (mean {r['iteration_ms_mean']:.1f})   "
          f"{r['images_per_second']:.1f} images/s")
    for k, v in phases.items():
        print(f"  {k:<10} {v:8.2f} ms")
    print(f"useful GFLOP/s: {useful:.1f}   matmul {a.matmul_size}^2: {matmul:.1f} GFLOP/s   "
          f"useful / matmul: {100 * useful / matmul:.1f} %")
    print(f"resident memory (VmRSS) KiB after iteration: {rss}; peak {r['peak_rss_kib']}")


if __name__ == "__main__":
    main()
