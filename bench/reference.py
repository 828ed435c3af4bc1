#!/usr/bin/env python3
"""PyTorch reference for `convmirror bench`: the same networks written directly with torch.nn
(native ConvTranspose2d, BatchNorm, ReLU/LeakyReLU, DCGAN init, Adam), timed the same way and
reported with the same numbers, so that both sides can be run in the same minute and compared.

Phases (--phase):
  train   GAN: one iteration = D step on real + fake, G step (BCE on logits, non-saturating G loss,
          Adam 2e-4 / (0.5, 0.999)). VAE: one step of reconstruction + KL (Bernoulli decoder on
          logits, one reparameterised sample, Adam 1e-3 / (0.9, 0.999)).
  sample  the generator (GAN) or decoder + sigmoid (VAE) in eval mode under no_grad, noise
          included: images/s at each --sample-batches, and single-image latency.
  all     both.

Every phase runs once per --threads value (intra-op; inter-op 1) and reports each and the best,
as the issue's comparison table does. Useful FLOPs, from the forward MACs per image (counted with
forward hooks on the Conv2d / ConvTranspose2d / Linear layers):
  GAN iteration  2 * batch * (3*G + 8*D)        (org.convmirror.internal.bench.UsefulFlops)
  VAE step       2 * batch * 3 * (E + H + P)    encoder E, both heads H, decoder P: forward once,
                                                backward twice
  sampling       2 * batch * G                  (or P for a VAE)

Not part of the tests. Debian's python3-torch (1.13) with libopenblas0-openmp is enough (it runs on
the OpenMP build of OpenBLAS even where the pthread one is the system default: bench/peer_blas.py):
    /usr/bin/python3 bench/reference.py --model dcgan28 --batch-size 16
    /usr/bin/python3 bench/reference.py --model vae28 --phase all --json
"""
import argparse
import json
import statistics
import time

import peer_blas

peer_blas.use_openmp_openblas()  # before torch is loaded; see bench/peer_blas.py

import torch
import torch.nn as nn
import torch.nn.functional as F

# Layers as `convmirror plan` prints them. conv/convT: (kind, in, out, kernel, stride, padding,
# bias, batch_norm, activation); dense: (kind, in, out, bias, batch_norm, activation).
MODELS = {
    "dcgan28": dict(
        kind="gan", image=(1, 28, 28), latent=(100, 1, 1),
        d=[("conv", 1, 64, 4, 2, 1, True, False, "lrelu"),
           ("conv", 64, 128, 4, 2, 1, False, True, "lrelu"),
           ("conv", 128, 1, 7, 1, 0, True, False, None)],
        g=[("convT", 100, 128, 7, 1, 0, False, True, "relu"),
           ("convT", 128, 64, 4, 2, 1, False, True, "relu"),
           ("convT", 64, 1, 4, 2, 1, True, False, "tanh")]),
    "dcgan64": dict(
        kind="gan", image=(3, 64, 64), latent=(100, 1, 1),
        d=[("conv", 3, 64, 4, 2, 1, False, False, "lrelu"),
           ("conv", 64, 128, 4, 2, 1, False, True, "lrelu"),
           ("conv", 128, 256, 4, 2, 1, False, True, "lrelu"),
           ("conv", 256, 512, 4, 2, 1, False, True, "lrelu"),
           ("conv", 512, 1, 4, 1, 0, False, False, None)],
        g=[("convT", 100, 512, 4, 1, 0, False, True, "relu"),
           ("convT", 512, 256, 4, 2, 1, False, True, "relu"),
           ("convT", 256, 128, 4, 2, 1, False, True, "relu"),
           ("convT", 128, 64, 4, 2, 1, False, True, "relu"),
           ("convT", 64, 3, 4, 2, 1, True, False, "tanh")]),
    # vae28.yaml: the encoder flattened into a dense layer and two heads (mean, log-variance);
    # the mirrored decoder ends in logits (its sigmoid is applied only to make images).
    "vae28": dict(
        kind="vae", image=(1, 28, 28), latent=(16,), features=256,
        e=[("conv", 1, 32, 4, 2, 1, True, False, "relu"),
           ("conv", 32, 64, 4, 2, 1, False, True, "relu"),
           ("flatten",),
           ("dense", 3136, 256, True, False, "relu")],
        p=[("dense", 16, 256, False, True, "relu"),
           ("dense", 256, 3136, False, True, "relu"),
           ("reshape", 64, 7, 7),
           ("convT", 64, 32, 4, 2, 1, False, True, "relu"),
           ("convT", 32, 1, 4, 2, 1, True, False, None)]),
}


def build(layers):
    mods = []
    for kind, *a in layers:
        if kind == "flatten":
            mods.append(nn.Flatten())
            continue
        if kind == "reshape":
            mods.append(nn.Unflatten(1, tuple(a)))
            continue
        if kind == "dense":
            cin, cout, bias, bn, act = a
            mods.append(nn.Linear(cin, cout, bias=bias))
            norm = nn.BatchNorm1d
        else:
            cin, cout, k, s, p, bias, bn, act = a
            mods.append((nn.Conv2d if kind == "conv" else nn.ConvTranspose2d)(cin, cout, k, s, p,
                                                                               bias=bias))
            norm = nn.BatchNorm2d
        if bn:
            mods.append(norm(cout))
        mods.append({"lrelu": nn.LeakyReLU(0.2), "relu": nn.ReLU(), "tanh": nn.Tanh(),
                     None: nn.Identity()}[act])
    net = nn.Sequential(*mods)
    for m in net.modules():  # DCGAN init (Radford et al. 2015), as org.convmirror.internal.nn.Init
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
    return net


def macs_per_image(net, input_shape):
    """Forward multiply-accumulates of Conv2d, ConvTranspose2d and Linear layers, per image."""
    total = [0]

    def hook(m, inputs, out):
        if isinstance(m, nn.Conv2d):
            total[0] += out[0].numel() * m.in_channels // m.groups * m.weight[0, 0].numel()
        elif isinstance(m, nn.ConvTranspose2d):  # every input pixel meets the whole kernel
            total[0] += inputs[0][0].numel() * m.weight[0].numel()
        elif isinstance(m, nn.Linear):
            total[0] += m.in_features * m.out_features

    handles = [m.register_forward_hook(hook) for m in net.modules()]
    with torch.no_grad():
        net.eval()(torch.zeros(1, *input_shape))
    net.train()
    for h in handles:
        h.remove()
    return total[0]


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


class Gan:
    """The DCGAN iteration of org.convmirror.internal.gan.GanTrainer.step, with D frozen in the G step."""

    def __init__(self, spec):
        self.spec = spec
        self.G, self.D = build(spec["g"]), build(spec["d"])
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.g_macs = macs_per_image(self.G, spec["latent"])
        self.d_macs = macs_per_image(self.D, spec["image"])
        self.macs = {"generator": self.g_macs, "discriminator": self.d_macs}

    def flops(self, n):
        return 2.0 * n * (3 * self.g_macs + 8 * self.d_macs)

    def step(self, x, n, laps):
        z = torch.randn(n, *self.spec["latent"])
        laps("data")
        fake = self.G(z)
        laps("g_forward")
        self.opt_d.zero_grad(set_to_none=False)
        real_out, fake_out = self.D(x), self.D(fake.detach())
        d_loss = F.softplus(-real_out).mean() + F.softplus(fake_out).mean()
        d_loss.backward()
        d_loss.item(), torch.sigmoid(real_out).mean().item(), torch.sigmoid(fake_out).mean().item()
        laps("d_step")
        self.opt_d.step()
        laps("optimizer")
        self.opt_g.zero_grad(set_to_none=False)
        for p in self.D.parameters():
            p.requires_grad_(False)
        g_loss = F.softplus(-self.D(fake)).mean()
        g_loss.backward()
        g_loss.item()
        for p in self.D.parameters():
            p.requires_grad_(True)
        laps("g_step")
        self.opt_g.step()
        laps("optimizer")

    def sampler(self):
        return self.G, self.spec["latent"], self.g_macs, lambda y: y


class Vae:
    """The step of org.convmirror.internal.vae.VaeTrainer: mean(recon) + beta * mean(KL), beta = 1."""

    def __init__(self, spec):
        self.spec = spec
        self.E, self.P = build(spec["e"]), build(spec["p"])
        latent = spec["latent"][0]
        self.mean = nn.Linear(spec["features"], latent)
        self.log_variance = nn.Linear(spec["features"], latent)
        params = [p for m in (self.E, self.mean, self.log_variance, self.P) for p in m.parameters()]
        self.opt = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999))
        self.e_macs = macs_per_image(self.E, spec["image"])
        self.h_macs = 2 * spec["features"] * latent
        self.p_macs = macs_per_image(self.P, spec["latent"])
        self.macs = {"encoder": self.e_macs, "heads": self.h_macs, "decoder": self.p_macs}

    def flops(self, n):
        return 2.0 * n * 3 * (self.e_macs + self.h_macs + self.p_macs)

    def step(self, x, n, laps):
        target = (x + 1) * 0.5  # the Bernoulli likelihood models pixels in [0, 1]
        laps("data")
        h = self.E(x)
        mu, log_var = self.mean(h), self.log_variance(h)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)  # reparameterised sample
        logits = self.P(z)
        recon = (F.softplus(logits) - target * logits).flatten(1).sum(1)
        kl = -0.5 * (1 + log_var - mu.square() - log_var.exp()).sum(1)
        loss = recon.mean() + kl.mean()
        laps("forward")
        self.opt.zero_grad(set_to_none=False)
        loss.backward()
        recon.mean().item(), kl.mean().item()
        laps("backward")
        self.opt.step()
        laps("optimizer")

    def sampler(self):
        return self.P, self.spec["latent"], self.p_macs, torch.sigmoid


def train(model, a):
    n, (c, h, w) = a.batch_size, model.spec["image"]
    batches = [(torch.rand(n * c * h * w) * 2 - 1).tolist() for _ in range(4)]
    phases, its, cpu, rss = {}, [], [], {}
    for i in range(a.warmup + a.iterations):
        timing = i >= a.warmup
        t0 = last = time.perf_counter()
        c0 = time.thread_time()  # with one thread, the work itself: less disturbed by load

        def laps(phase):
            nonlocal last
            now = time.perf_counter()
            if timing:
                phases[phase] = phases.get(phase, 0.0) + (now - last) * 1e3 / a.iterations
            last = now

        x = torch.tensor(batches[i % 4]).view(n, c, h, w)  # from host memory, as ours uploads
        model.step(x, n, laps)
        if timing:
            its.append((time.perf_counter() - t0) * 1e3)
            cpu.append((time.thread_time() - c0) * 1e3)
        if i + 1 in (200, 2000):
            rss[str(i + 1)] = rss_kib("VmRSS:")
    rss[str(a.warmup + a.iterations)] = rss_kib("VmRSS:")
    med = statistics.median(its)
    q = statistics.quantiles(its, n=10, method="inclusive") if len(its) > 1 else [med] * 9
    return dict(batch_size=n, iteration_ms_median=med, iteration_ms_p10=q[0],
                iteration_ms_p90=q[-1], iteration_ms_mean=statistics.mean(its),
                iteration_thread_cpu_ms_median=statistics.median(cpu),
                images_per_second=n / (med / 1e3), phase_ms_mean=phases,
                useful_flops_per_iteration=model.flops(n),
                useful_gflops=model.flops(n) / (med / 1e3) / 1e9, rss_kib_after_iteration=rss)


def sample(model, a):
    net, latent, macs, to_images = model.sampler()
    net.eval()
    out = {}
    with torch.no_grad():
        for n in a.sample_batches:
            ms = []
            for i in range(3 + a.sample_reps):
                t = time.perf_counter()
                to_images(net(torch.randn(n, *latent)))
                if i >= 3:
                    ms.append((time.perf_counter() - t) * 1e3)
            med = statistics.median(ms)
            p90 = statistics.quantiles(ms, n=10, method="inclusive")[-1]
            out[str(n)] = dict(ms_median=med, ms_p90=p90, images_per_second=n / (med / 1e3),
                               useful_gflops=2.0 * n * macs / (med / 1e3) / 1e9)
    net.train()
    return out


def measure(model, a, threads):
    torch.set_num_threads(threads)
    matmul = matmul_gflops(a.matmul_size, 5)
    r = {}
    if a.phase in ("train", "all"):
        r["train"] = train(model, a)
    if a.phase in ("sample", "all"):
        r["sample"] = sample(model, a)
    r["matmul_gflops"] = statistics.median(matmul + matmul_gflops(a.matmul_size, 5))
    if "train" in r:
        r["train"]["matmul_gflops"] = r["matmul_gflops"]
        r["train"]["useful_over_matmul"] = r["train"]["useful_gflops"] / r["matmul_gflops"]
    return r


def best(by_threads):
    """Per phase (and per sampling batch), the thread count that went fastest."""
    out = {}
    runs = list(by_threads.items())
    if "train" in runs[0][1]:
        t, r = max(runs, key=lambda kv: kv[1]["train"]["images_per_second"])
        out["train"] = dict(r["train"], threads=int(t))
    if "sample" in runs[0][1]:
        out["sample"] = {}
        for n in runs[0][1]["sample"]:
            t, r = max(runs, key=lambda kv: kv[1]["sample"][n]["images_per_second"])
            out["sample"][n] = dict(r["sample"][n], threads=int(t))
    return out


def print_text(r):
    print(f"reference (torch {r['torch']}, {r['blas']}) {r['model']}  load {r['load_average']}  "
          f"MACs per image {r['macs_per_image']}")
    for t, m in r["by_threads"].items():
        if "train" in m:
            tr = m["train"]
            print(f"threads {t}: train batch {tr['batch_size']}: "
                  f"{tr['iteration_ms_median']:.1f} ms median (p10 {tr['iteration_ms_p10']:.1f}, "
                  f"p90 {tr['iteration_ms_p90']:.1f}; thread CPU "
                  f"{tr['iteration_thread_cpu_ms_median']:.1f})  "
                  f"{tr['images_per_second']:.1f} images/s  useful {tr['useful_gflops']:.1f} "
                  f"GFLOP/s = {100 * tr['useful_over_matmul']:.1f} % of matmul "
                  f"{m['matmul_gflops']:.1f}")
            phases = tr["phase_ms_mean"].items()
            print("    phases (ms): " + "  ".join(f"{k} {v:.2f}" for k, v in phases))
        for n, s in m.get("sample", {}).items():
            print(f"threads {t}: sample batch {n}: {s['ms_median']:.2f} ms median "
                  f"(p90 {s['ms_p90']:.2f})  {s['images_per_second']:.1f} images/s")
    b = r["best"]
    if "train" in b:
        print(f"best: train {b['train']['images_per_second']:.1f} images/s "
              f"({b['train']['threads']} threads)")
    for n, s in b.get("sample", {}).items():
        print(f"best: sample batch {n} {s['images_per_second']:.1f} images/s "
              f"({s['threads']} threads)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="dcgan28", choices=sorted(MODELS))
    ap.add_argument("--phase", default="train", choices=("train", "sample", "all"))
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--iterations", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", default="1,2", help="intra-op thread counts to try, e.g. 1,2")
    ap.add_argument("--sample-batches", default="1,64,1024")
    ap.add_argument("--sample-reps", type=int, default=20, help="timed calls per sampling batch")
    ap.add_argument("--matmul-size", type=int, default=2048)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    a.sample_batches = [int(s) for s in a.sample_batches.split(",")]
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    spec = MODELS[a.model]
    model = (Gan if spec["kind"] == "gan" else Vae)(spec)
    by_threads = {t: measure(model, a, int(t)) for t in a.threads.split(",")}
    r = dict(model=a.model, kind=spec["kind"], torch=torch.__version__,
             blas=peer_blas.loaded_blas(),
             load_average=open("/proc/loadavg").read().split()[0],
             macs_per_image=model.macs, by_threads=by_threads, best=best(by_threads),
             peak_rss_kib=rss_kib("VmHWM:"))
    if a.json:
        print(json.dumps(r, indent=2))
    else:
        print_text(r)


if __name__ == "__main__":
    main()
