#!/usr/bin/env python3
"""The plain-PyTorch reference for convmirror's quality numbers.

pytorch/examples' DCGAN recipe on dcgan28's networks (the same discriminator, and the generator
convmirror mirrors from it), trained on Fashion-MNIST: Adam 2e-4, betas (0.5, 0.999), N(0, 0.02)
weights, non-saturating BCE, batch 64, no biases (as pytorch/examples; --filters widens both
networks, e.g. 96,192 for a model file that does the same). After the epochs asked for it
draws samples in eval mode (the running statistics) and writes them as a NumPy array of shape
(N, 1, 28, 28), float32 in [0, 1], which `convmirror evaluate FILE.npy` scores. With --every it
also draws them every that many images, and snapshots.jsonl records each file with the images
seen and the training seconds before it (the clock stops while samples are drawn and saved).

    /usr/bin/python3 bench/quality_reference.py --epochs 1,3 --seed 1 --out /tmp/ref

writes /tmp/ref/seed-1-epoch-1.npy and /tmp/ref/seed-1-epoch-3.npy. Debian's python3-torch uses
whatever libblas.so.3 points to: install libopenblas0-openmp first (bench/compare_quality.sh does);
the script runs itself on that build even where the pthread one is the default (bench/peer_blas.py).
"""
import argparse
import gzip
import json
import os
import time

import peer_blas

peer_blas.use_openmp_openblas()  # before numpy and torch load a BLAS; see bench/peer_blas.py

import numpy as np
import torch
import torch.nn as nn

DATA = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


def images(path):
    """The IDX images as float32 in [-1, 1], shape (N, 1, 28, 28)."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    n = int.from_bytes(raw[4:8], "big")
    x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, 1, 28, 28)
    return torch.from_numpy(x.astype(np.float32) / 127.5 - 1)


def generator(latent, f1=64, f2=128):
    """dcgan28's generator, mirrored from a discriminator with f1 and f2 filters."""
    return nn.Sequential(
        nn.ConvTranspose2d(latent, f2, 7, 1, 0, bias=False), nn.BatchNorm2d(f2), nn.ReLU(True),
        nn.ConvTranspose2d(f2, f1, 4, 2, 1, bias=False), nn.BatchNorm2d(f1), nn.ReLU(True),
        nn.ConvTranspose2d(f1, 1, 4, 2, 1, bias=False), nn.Tanh())


def discriminator(f1=64, f2=128):
    """dcgan28's discriminator; f1, f2: its two convolutions' filters (64, 128 as shipped)."""
    return nn.Sequential(
        nn.Conv2d(1, f1, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(f1, f2, 4, 2, 1, bias=False), nn.BatchNorm2d(f2),
        nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(f2, 1, 7, 1, 0, bias=False))


def dcgan_init(m):
    name = type(m).__name__
    if "Conv" in name:
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif "BatchNorm" in name:
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def filters(text):
    """--filters: two positive integers, e.g. 64,128."""
    parts = text.split(",")
    if len(parts) != 2 or not all(x.strip().isdigit() and int(x) > 0 for x in parts):
        raise argparse.ArgumentTypeError(f"want two positive integers such as 64,128, got '{text}'")
    return int(parts[0]), int(parts[1])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", default="1,3", help="epochs after which to sample, e.g. 1,3")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--count", type=int, default=10000)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data", default=DATA)
    p.add_argument("--every", type=int, default=0, help="also sample every this many images")
    p.add_argument("--out", default="runs/reference")
    p.add_argument("--filters", default="64,128", type=filters,
                   help="the discriminator's two convolutions' filters (the generator mirrors"
                        " them): 64,128 is dcgan28; e.g. 96,192 for a model file that widens it")
    p.add_argument("--speed", type=int, default=0, metavar="N",
                   help="speed only: train N iterations, print images/s over iterations 20..N as"
                        " JSON and stop (bench/compare_speed.sh's real workload)")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    x = images(a.data)
    latent = 100
    f1, f2 = a.filters
    g, d = generator(latent, f1, f2), discriminator(f1, f2)
    g.apply(dcgan_init)
    d.apply(dcgan_init)
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    marks = sorted(int(e) for e in a.epochs.split(","))
    b = a.batch_size
    per_epoch = len(x) // b
    log = open(os.path.join(a.out, f"seed-{a.seed}-snapshots.jsonl"), "w")
    paused = 0.0  # seconds spent drawing and saving samples, not training
    seen, due = 0, a.every

    def snapshot(name):
        nonlocal paused
        t0 = time.time()
        seconds = t0 - start - paused
        g.eval()
        with torch.no_grad():
            s = torch.cat([g(torch.randn(min(500, a.count - k), latent, 1, 1))
                           for k in range(0, a.count, 500)])
        g.train()
        out = os.path.join(a.out, f"seed-{a.seed}-{name}.npy")
        np.save(out, ((s + 1) / 2).clamp(0, 1).numpy().astype(np.float32))
        log.write(json.dumps({"images": seen, "seconds": round(seconds, 3), "file": out}) + "\n")
        log.flush()
        paused += time.time() - t0
        print(f"wrote {out} after {seconds:.0f} s of training", flush=True)

    start = time.time()
    warm, clock = 20, None
    for epoch in range(1, marks[-1] + 1):
        order = torch.randperm(len(x))
        for i in range(per_epoch):
            real = x[order[i * b:(i + 1) * b]]
            z = torch.randn(b, latent, 1, 1)
            fake = g(z)
            # D: maximise log D(x) + log(1 - D(G(z)))
            opt_d.zero_grad()
            out_real, out_fake = d(real).view(-1), d(fake.detach()).view(-1)
            loss_d = bce(out_real, torch.ones(b)) + bce(out_fake, torch.zeros(b))
            loss_d.backward()
            opt_d.step()
            # G: maximise log D(G(z)), the non-saturating loss
            opt_g.zero_grad()
            loss_g = bce(d(fake).view(-1), torch.ones(b))
            loss_g.backward()
            opt_g.step()
            seen += b
            if a.speed:
                # Iterations counted from 1, as convmirror's losses.csv counts them.
                if i + 1 == warm:
                    clock = time.time()
                if i + 1 == a.speed:
                    rate = b * (a.speed - warm) / (time.time() - clock)
                    print(f'{{"images_per_second": {rate:.2f}, "iterations": {a.speed}}}')
                    return
                continue
            if i % 200 == 0:
                print(f"epoch {epoch} {i}/{per_epoch} d={loss_d.item():.3f} g={loss_g.item():.3f}"
                      f" {time.time() - start - paused:.0f} s", flush=True)
            if a.every and seen >= due:
                due += a.every
                snapshot(f"images-{seen:07d}")
        if epoch in marks:
            snapshot(f"epoch-{epoch}")


if __name__ == "__main__":
    main()
