#!/usr/bin/env python3
"""The report of bench/compare_quality.sh: Fréchet distance against training seconds and per
epoch for the plain-PyTorch peer and convmirror (delivered weight average and trained generator),
mean ± std over seeds, issue 23's targets checked, and one plot (FD vs seconds, bands of ± std).

    /usr/bin/python3 bench/quality_curve.py runs/quality-time --seeds 1,2,3 --epochs 5

Each seed's curve is read at a common time by linear interpolation between its scored snapshots
(no extrapolation); "reaches FD x at t" is the first such time where the mean over seeds is ≤ x.
"""
import argparse
import glob
import json
import os
import statistics


def frechet(path):
    with open(path) as f:
        return json.load(f)["model"]["frechet"]


def peer_points(out, seed):
    """[(images, seconds, fd, epoch or None)] of the peer's scored snapshots, in time order."""
    points = []
    log = os.path.join(out, "peer", f"seed-{seed}-snapshots.jsonl")
    for line in open(log):
        s = json.loads(line)
        score = s["file"][: -len(".npy")] + ".evaluation.json"
        if os.path.exists(score):
            name = os.path.basename(s["file"])
            epoch = int(name.split("epoch-")[1][:-4]) if "epoch-" in name else None
            points.append((s["images"], s["seconds"], frechet(score), epoch))
    return sorted(points, key=lambda p: p[1])


def our_points(out, seed, which):
    """[(images, seconds, fd, epoch or None)] of convmirror's scored checkpoints."""
    points = []
    for ck in glob.glob(os.path.join(out, f"convmirror-seed-{seed}", "checkpoints", "step-*")):
        score = os.path.join(ck, f"score-{which}.json")
        if not os.path.exists(score):
            continue
        st = json.load(open(os.path.join(ck, "state.json")))
        st = st.get("state", st)
        epoch = st["epoch"] if st["batch"] == 0 else None
        points.append((st["images"], st["seconds"], frechet(score), epoch))
    return sorted(points, key=lambda p: p[1])


def at(points, t):
    """The curve's FD at time t by linear interpolation, or None outside its range."""
    for (i0, t0, f0, _), (i1, t1, f1, _) in zip(points, points[1:]):
        if t0 <= t <= t1:
            return f0 + (f1 - f0) * (t - t0) / (t1 - t0) if t1 > t0 else f1
    return points[-1][2] if points and abs(points[-1][1] - t) < 1e-9 else None


def mean_std(values):
    values = [v for v in values if v is not None]
    if not values:
        return None, None
    return statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def fmt(values):
    m, s = mean_std(values)
    if m is None:
        return "—"
    return f"{m:6.2f} ± {s:5.2f} ({' '.join(f'{v:.2f}' for v in values if v is not None)})"


def first_reach(curves, target, until):
    """The first time (1 s grid) where every seed's curve is defined and their mean is ≤ target."""
    t = 0.0
    while t <= until:
        vals = [at(c, t) for c in curves]
        if all(v is not None for v in vals) and statistics.mean(vals) <= target:
            return t
        t += 1.0
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--plot", default=None, help="PNG to draw (default: OUT/fd-vs-seconds.png)")
    p.add_argument("--label", default="convmirror default",
                   help="convmirror's side in the plot, e.g. its extra train flags")
    a = p.parse_args()
    seeds = [int(s) for s in a.seeds.split(",")]
    peer = {s: peer_points(a.out, s) for s in seeds}
    avg = {s: our_points(a.out, s, "average") for s in seeds}
    raw = {s: our_points(a.out, s, "raw") for s in seeds}

    def by_epoch(points, e):
        return next((p for p in points if p[3] == e), None)

    print(f"Fréchet distance of 10,000 samples (convmirror evaluate), mean ± std over seeds {a.seeds}")
    if a.label != "convmirror default":
        print(f"convmirror's side: {a.label}")
    print()
    print("| after epoch | plain PyTorch | convmirror (delivered) | convmirror (trained generator) "
          "| seconds: PyTorch | seconds: convmirror |")
    print("|---|---|---|---|---|---|")
    for e in range(1, a.epochs + 1):
        pe = [by_epoch(peer[s], e) for s in seeds]
        oe = [by_epoch(avg[s], e) for s in seeds]
        re_ = [by_epoch(raw[s], e) for s in seeds]
        print(f"| {e} | {fmt([x and x[2] for x in pe])} | {fmt([x and x[2] for x in oe])} | "
              f"{fmt([x and x[2] for x in re_])} | {fmt([x and x[1] for x in pe])} | "
              f"{fmt([x and x[1] for x in oe])} |")
    print()

    t_peer = {e: mean_std([by_epoch(peer[s], e) and by_epoch(peer[s], e)[1] for s in seeds])[0]
              for e in range(1, a.epochs + 1)}
    fd_peer = {e: mean_std([by_epoch(peer[s], e) and by_epoch(peer[s], e)[2] for s in seeds])[0]
               for e in range(1, a.epochs + 1)}
    end = max(max((p[1] for p in c), default=0) for c in list(peer.values()) + list(avg.values()))
    grid = sorted({round(t_peer[e]) for e in t_peer if t_peer[e]} |
                  {60 * k for k in range(1, int(end // 60) + 1)})
    print("| training seconds | plain PyTorch | convmirror (delivered) | convmirror (trained) |")
    print("|---|---|---|---|")
    for t in grid:
        print(f"| {t} | {fmt([at(peer[s], t) for s in seeds])} | "
              f"{fmt([at(avg[s], t) for s in seeds])} | {fmt([at(raw[s], t) for s in seeds])} |")
    print()

    last = a.epochs
    if None in (t_peer.get(last), fd_peer.get(last), t_peer.get(1), fd_peer.get(min(3, last))):
        print("targets: not every epoch of the peer was scored yet")
    else:
        verdict = lambda ok: "MET" if ok else "MISSED"
        reach = first_reach(list(avg.values()), fd_peer[last], end)
        ok1 = reach is not None and reach <= t_peer[last] / 3
        print(f"target 1: the peer's {last}-epoch FD {fd_peer[last]:.2f} (at {t_peer[last]:.0f} s) "
              f"reached by convmirror at {reach if reach is not None else 'never'} s; "
              f"a third of the peer's time is {t_peer[last] / 3:.0f} s: {verdict(ok1)}")
        e3 = min(3, last)
        ours_t1 = mean_std([at(avg[s], t_peer[1]) for s in seeds])[0]
        ok2 = ours_t1 is not None and ours_t1 <= fd_peer[e3]
        print(f"target 2: after the peer's 1-epoch time ({t_peer[1]:.0f} s) convmirror delivers "
              f"{ours_t1 if ours_t1 is None else round(ours_t1, 2)}; the peer's {e3}-epoch FD is "
              f"{fd_peer[e3]:.2f}: {verdict(ok2)}")
        ours_last = mean_std([by_epoch(avg[s], last) and by_epoch(avg[s], last)[2] for s in seeds])[0]
        ok3 = ours_last is not None and ours_last <= fd_peer[last] / 2
        print(f"target 3: convmirror after {last} epochs {ours_last if ours_last is None else round(ours_last, 2)}"
              f"; half the peer's {fd_peer[last] / 2:.2f}: {verdict(ok3)}")
        worse = []
        for k in range(min(len(avg[s]) for s in seeds)):
            d = [avg[s][k][2] for s in seeds]
            r = [raw[s][k][2] for s in seeds if k < len(raw[s])]
            if len(r) != len(d):
                continue
            md, sd = mean_std(d)
            mr, sr = mean_std(r)
            if md > mr + max(sd, sr):
                worse.append(f"{avg[seeds[0]][k][0]} images: {md:.2f} vs {mr:.2f}")
        print(f"target 4: points where the delivered average is worse than the trained generator "
              f"beyond the seed spread: {worse if worse else 'none'}: {verdict(not worse)}")

    plot = a.plot or os.path.join(a.out, "fd-vs-seconds.png")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("no plot: python3-matplotlib is not installed")
        return
    fig, ax = plt.subplots(figsize=(8, 5), dpi=120)
    ts = [float(t) for t in range(0, int(end) + 1, 2)]
    for label, curves, colour in (("plain PyTorch (pytorch/examples recipe)", peer, "#d62728"),
                                  (f"{a.label} (delivered)", avg, "#1f77b4"),
                                  (f"{a.label} (trained generator)", raw, "#7fb2e5")):
        xs, ms, lo, hi = [], [], [], []
        for t in ts:
            vals = [at(curves[s], t) for s in seeds]
            if all(v is not None for v in vals):
                m, sd = mean_std(vals)
                xs.append(t); ms.append(m); lo.append(m - sd); hi.append(m + sd)
        style = "--" if "trained" in label else "-"
        ax.plot(xs, ms, style, color=colour, label=label)
        ax.fill_between(xs, lo, hi, color=colour, alpha=0.2, linewidth=0)
    ax.set_yscale("log")
    ax.set_xlabel("training seconds (one core each)")
    ax.set_ylabel("Fréchet distance, 10,000 samples (log)")
    ax.set_title(f"Fashion-MNIST, dcgan28, mean ± std over seeds {a.seeds}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(plot)
    print(f"wrote {plot}")


if __name__ == "__main__":
    main()
