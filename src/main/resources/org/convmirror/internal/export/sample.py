"""Writes a grid of images drawn from the exported network, with torch alone.

    python3 sample.py [--count 64] [--seed 0] [--out samples.png] [--class NAME|INDEX]

Latent vectors come from torch.manual_seed(SEED) and torch.randn(COUNT, model.LATENT). A
conditional model draws every image of --class, or without it image i of class i mod CLASSES.
"""
import argparse
import math
import os
import struct
import sys
import zlib

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model  # noqa: E402  (model.py, beside this file)


def grid(images, cols, pad=2):
    """(N, C, H, W) in [0, 1] -> one (rows, cols) mosaic as (height, width, C) uint8."""
    n, c, h, w = images.shape
    rows = (n + cols - 1) // cols
    out = torch.zeros(c, rows * (h + pad) + pad, cols * (w + pad) + pad)
    for i in range(n):
        top = pad + (i // cols) * (h + pad)
        left = pad + (i % cols) * (w + pad)
        out[:, top:top + h, left:left + w] = images[i]
    return (out * 255).round().clamp(0, 255).to(torch.uint8).permute(1, 2, 0).contiguous()


def write_png(path, pixels):
    """An 8-bit PNG of (height, width, C) pixels, C = 1 (grey), 2 (grey + alpha), 3 or 4;
    by hand with zlib because the standard library has no image writer."""
    h, w, c = pixels.shape
    color = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    flat = pixels.reshape(h, w * c)
    raw = b"".join(b"\x00" + bytes(flat[y].tolist()) for y in range(h))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def fail(message):
    """One line on standard error and exit status 2, as convmirror reports a bad input."""
    print("sample.py: " + message, file=sys.stderr)
    sys.exit(2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=64, help="images to draw (default 64)")
    parser.add_argument("--seed", type=int, default=0, help="seeds the latent vectors (default 0)")
    parser.add_argument("--out", default="samples.png", help="the PNG to write")
    parser.add_argument("--class", dest="cls", metavar="NAME|INDEX",
                        help="a conditional model's class, by name or index (default: all in turn)")
    args = parser.parse_args()
    if args.count < 1:
        parser.error("--count must be >= 1")
    conditional = hasattr(model, "CLASSES")
    labels = None
    if args.cls is not None and not conditional:
        fail("--class needs a conditional model; this one takes latent vectors only")
    if conditional:
        try:
            y = None if args.cls is None else model.label(args.cls)
        except ValueError as e:
            fail(str(e))
        labels = (torch.arange(args.count) % model.CLASSES if y is None
                  else torch.full((args.count,), y, dtype=torch.int64))
    net = model.load(os.path.dirname(os.path.abspath(__file__)))
    torch.manual_seed(args.seed)
    with torch.no_grad():
        z = torch.randn(args.count, model.LATENT)
        images = net(z) if labels is None else net(z, labels)
    scale = max(1, min(4, 96 // images.shape[2]))  # small images stay visible
    images = images.repeat_interleave(scale, dim=2).repeat_interleave(scale, dim=3)
    write_png(args.out, grid(images, math.ceil(math.sqrt(args.count))))
    which = "" if labels is None else (
        " of class " + model.CLASS_NAMES[y] if y is not None else " of every class in turn")
    print(f"wrote {args.out}: {args.count} images {tuple(images.shape[1:])}{which}"
          f" from seed {args.seed}")


if __name__ == "__main__":
    main()
