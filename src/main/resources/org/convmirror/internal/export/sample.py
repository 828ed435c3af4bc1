"""Writes a grid of images drawn from the exported network, with torch alone.

    python3 sample.py [--count 64] [--seed 0] [--out samples.png]

Latent vectors come from torch.manual_seed(SEED) and torch.randn(COUNT, model.LATENT).
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=64, help="images to draw (default 64)")
    parser.add_argument("--seed", type=int, default=0, help="seeds the latent vectors (default 0)")
    parser.add_argument("--out", default="samples.png", help="the PNG to write")
    args = parser.parse_args()
    if args.count < 1:
        parser.error("--count must be >= 1")
    net = model.load(os.path.dirname(os.path.abspath(__file__)))
    torch.manual_seed(args.seed)
    with torch.no_grad():
        images = net(torch.randn(args.count, model.LATENT))
    scale = max(1, min(4, 96 // images.shape[2]))  # small images stay visible
    images = images.repeat_interleave(scale, dim=2).repeat_interleave(scale, dim=3)
    write_png(args.out, grid(images, math.ceil(math.sqrt(args.count))))
    print(f"wrote {args.out}: {args.count} images {tuple(images.shape[1:])} from seed {args.seed}")


if __name__ == "__main__":
    main()
