"""Writes src/main/resources/org/convmirror/internal/nn/inference.pt, a TorchScript module that runs
any derived half (generator, decoder) convmirror builds, in inference mode, in ONE engine call per
batch: a small interpreter over a program (a list of numbers naming each layer and the index of
its weights) and the weight tensors, both given as inputs, so that one module serves every model
file and nothing is generated per model. Loaded by org.convmirror.internal.nn.NativeInference;
the op-by-op DJL path stays as the reference it is tested against (NativeInferenceTest).

`fold` prepares a program once per set of weights: every batch norm that directly follows a
linear or transposed-convolution layer is folded into that layer's weight and bias (inference
mode: the running — standing — statistics), a tanh whose output is mapped to pixels becomes one
sigmoid (see `fuse_output`), and every tensor is detached. `run` then draws a
batch. Opcodes and their operands (weight operands are indices into the weight list, -1 none):

    1 LINEAR    w b
    2 CONVT     w b sH sW pH pW opH opW dH dW     torch.conv_transpose2d, weight (Cin, Cout, kH, kW)
                                                  (a narrow layer, or one image on a small input: one
                                                  matrix product and col2im instead, see by_columns)
    3 BN        mean var gamma beta eps           channels on axis 1
    4 AFFINE    gammaTable betaTable              x * gamma[label] + beta[label] per channel (the
                                                  class-wise half of a conditional batch norm, whose
                                                  normalisation is a BN before it)
    5 ACT       kind slope                        0 relu, 1 leaky relu, 2 elu, 3 gelu, 4 tanh, 5 sigmoid
    6 RESHAPE   c h w
    7 UPSAMPLE  h w                               nearest, source index floor(dst * in / out)
    8 JOIN      table asMap                       z ++ table[labels], as (N, K, 1, 1) when asMap
    9 OUTPUT    kind                              0 (x + 1) / 2 clamped to [0, 1], 1 sigmoid, 2 clamp to [0, 1]

Batches above CHUNK images run in chunks of CHUNK (see `run`).

Run with Debian's python3-torch 1.13 (or any PyTorch >= 1.13):
    /usr/bin/python3 tools/make_inference_module.py
"""
import pathlib
from typing import List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

# Images per chunk of a large batch. Above a few tens of MiB per activation, glibc's allocator
# serves each fresh tensor with mmap and returns it on free, so every call of a large batch
# page-faults and zeroes all of its activations again; chunks of this size stay in the heap.
CHUNK = 256

# Transposed convolutions with at most NARROW output channels (an image-making last layer), and
# those of a single image on an input of at most SMALL_INPUT pixels, run as one matrix product and
# col2im (F.fold) instead of libtorch's oneDNN kernel, which is slower there (measured with
# libtorch 2.7.1: 3-5x on 1- and 3-channel layers at batches 1-64, 1.1-1.9x on one image up to
# 8x8; on wider layers and larger inputs the kernel wins). The choice depends on shapes only.
NARROW = 4
SMALL_INPUT = 64

# Operands after each opcode (index = opcode).
ARITY = [0, 2, 10, 5, 2, 2, 3, 2, 2, 1]


class Inference(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.chunk_size = CHUNK
        self.narrow = NARROW
        self.small_input = SMALL_INPUT
        self.arity: List[int] = ARITY

    @torch.jit.export
    def fold(self, program: List[float], weights: List[Tensor]) -> Tuple[List[float], List[Tensor]]:
        """The program `run` draws with: batch norms folded into the layer before them, and a
        tanh output mapped to pixels as one sigmoid (below); every tensor detached."""
        w: List[Tensor] = [t.detach() for t in weights]
        return self.fuse_output(self.fold_batch_norms(program, w), w), w

    def fold_batch_norms(self, program: List[float], w: List[Tensor]) -> List[float]:
        """Every BN right after a LINEAR or CONVT folded into that layer (new tensors in `w`)."""
        out: List[float] = []
        i = 0
        while i < len(program):
            op = int(program[i])
            nxt = i + 1 + self.arity[op]
            if (op == 1 or op == 2) and nxt < len(program) and int(program[nxt]) == 3:
                mean = w[int(program[nxt + 1])]
                var = w[int(program[nxt + 2])]
                gamma = w[int(program[nxt + 3])]
                beta = w[int(program[nxt + 4])]
                scale = gamma / torch.sqrt(var + program[nxt + 5])
                weight = w[int(program[i + 1])]
                if op == 1:
                    folded = weight * scale.reshape(-1, 1)
                else:
                    folded = weight * scale.reshape(1, -1, 1, 1)
                bias = torch.zeros_like(mean)
                if int(program[i + 2]) >= 0:
                    bias = w[int(program[i + 2])]
                shifted = (bias - mean) * scale + beta
                w.append(folded.contiguous())
                w.append(shifted.contiguous())
                out.append(float(op))
                out.append(float(len(w) - 2))
                out.append(float(len(w) - 1))
                for k in range(i + 3, nxt):
                    out.append(program[k])
                i = nxt + 1 + self.arity[3]
            else:
                for k in range(i, nxt):
                    out.append(program[k])
                i = nxt
        return out

    def fuse_output(self, program: List[float], w: List[Tensor]) -> List[float]:
        """LINEAR or CONVT, ACT tanh, OUTPUT 0 ((x + 1) / 2 clamped) becomes the layer with its
        weight and bias doubled and OUTPUT 1 (sigmoid): (tanh(x) + 1) / 2 = sigmoid(2x), already in
        [0, 1]; doubling is exact in floating point. Two elementwise passes over the images instead
        of four."""
        out: List[float] = []
        i = 0
        layer = -1  # where the last LINEAR or CONVT starts in `out`
        while i < len(program):
            op = int(program[i])
            nxt = i + 1 + self.arity[op]
            if op == 5 and int(program[i + 1]) == 4 and layer >= 0 and nxt + 1 < len(program) \
                    and int(program[nxt]) == 9 and int(program[nxt + 1]) == 0:
                for k in range(1, 3):  # each weight index appears once in a program
                    index = int(out[layer + k])
                    if index >= 0:
                        w[index] = w[index] * 2
                out.append(9.0)
                out.append(1.0)
                i = nxt + 2
                layer = -1
                continue
            layer = len(out) if op == 1 or op == 2 else -1
            for k in range(i, nxt):
                out.append(program[k])
            i = nxt
        return out

    @torch.jit.export
    def run(self, z: Tensor, labels: Tensor, program: List[float], weights: List[Tensor]) -> Tensor:
        if z.size(0) <= self.chunk_size:
            return self.chunk(z, labels, program, weights)
        parts: List[Tensor] = []
        for start in range(0, z.size(0), self.chunk_size):
            end = min(start + self.chunk_size, z.size(0))
            y = labels
            if labels.numel() > 0:
                y = labels[start:end]
            parts.append(self.chunk(z[start:end], y, program, weights))
        return torch.cat(parts, 0)

    def chunk(self, z: Tensor, labels: Tensor, program: List[float], weights: List[Tensor]) -> Tensor:
        # Operands are read in place (program[j + k]) rather than sliced into a list per layer: at
        # one image the interpreter's own work is a visible part of the call (docs/notes/speed.md).
        x = z
        i = 0
        end = len(program)
        while i < end:
            op = int(program[i])
            j = i + 1
            if op == 2:
                w = weights[int(program[j])]
                if x.size(2) == 1 and x.size(3) == 1 and program[j + 6] == 0.0 \
                        and program[j + 7] == 0.0 and program[j + 8] == 1.0 and program[j + 9] == 1.0:
                    # A 1x1 input (a generator's first layer) as one matrix product, as the op-by-op
                    # path does: faster than the transposed-convolution kernel on it.
                    kh = w.size(2)
                    kw = w.size(3)
                    ph = int(program[j + 4])
                    pw = int(program[j + 5])
                    x = torch.mm(x.reshape(x.size(0), w.size(0)), w.reshape(w.size(0), -1))
                    x = x.reshape(x.size(0), w.size(1), kh, kw)
                    if ph > 0 or pw > 0:
                        x = x[:, :, ph:kh - ph, pw:kw - pw]
                    x = self.add_bias(x, weights, program[j + 1])
                elif self.by_columns(x, w):
                    x = self.add_bias(self.columns(x, w, program, j), weights, program[j + 1])
                else:
                    x = torch.conv_transpose2d(
                        x, w, self.optional(weights, program[j + 1]),
                        [int(program[j + 2]), int(program[j + 3])],
                        [int(program[j + 4]), int(program[j + 5])],
                        [int(program[j + 6]), int(program[j + 7])], 1,
                        [int(program[j + 8]), int(program[j + 9])])
            elif op == 5:
                kind = int(program[j])
                if kind == 0:
                    x = torch.relu(x)
                elif kind == 1:
                    x = F.leaky_relu(x, program[j + 1])
                elif kind == 2:
                    x = F.elu(x)
                elif kind == 3:
                    x = F.gelu(x)
                elif kind == 4:
                    x = torch.tanh(x)
                else:
                    x = torch.sigmoid(x)
            elif op == 1:
                x = F.linear(x, weights[int(program[j])], self.optional(weights, program[j + 1]))
            elif op == 3:
                x = F.batch_norm(x, weights[int(program[j])], weights[int(program[j + 1])],
                                 weights[int(program[j + 2])], weights[int(program[j + 3])], False,
                                 0.0, program[j + 4])
            elif op == 4:
                shape = [x.size(0), x.size(1)] + [1 for _ in range(x.dim() - 2)]
                gamma = weights[int(program[j])].index_select(0, labels).reshape(shape)
                beta = weights[int(program[j + 1])].index_select(0, labels).reshape(shape)
                x = x * gamma + beta
            elif op == 6:
                x = x.reshape(x.size(0), int(program[j]), int(program[j + 1]), int(program[j + 2]))
            elif op == 7:
                h = int(program[j])
                w = int(program[j + 1])
                rows = torch.div(torch.arange(h) * x.size(2), h, rounding_mode="floor")
                cols = torch.div(torch.arange(w) * x.size(3), w, rounding_mode="floor")
                x = x.index_select(2, rows).index_select(3, cols)
            elif op == 8:
                x = torch.cat([x, weights[int(program[j])].index_select(0, labels)], 1)
                if int(program[j + 1]) == 1:
                    x = x.reshape(x.size(0), x.size(1), 1, 1)
            elif op == 9:
                kind = int(program[j])
                if kind == 0:
                    x = torch.clamp((x + 1) / 2, 0.0, 1.0)
                elif kind == 1:
                    x = torch.sigmoid(x)
                else:
                    x = torch.clamp(x, 0.0, 1.0)
            else:
                raise RuntimeError("inference program: unknown opcode " + str(op))
            i = j + self.arity[op]
        return x

    def by_columns(self, x: Tensor, w: Tensor) -> bool:
        """Whether a transposed convolution runs as Wᵀ·x and col2im instead of libtorch's kernel:
        a narrow layer (an image's 1 or 3 channels) at any batch, or one image on a small input.
        oneDNN's kernel is 3-5x slower on the first and up to 2x on the second (docs/notes/speed.md)."""
        return w.size(1) <= self.narrow or (x.size(0) == 1 and x.size(2) * x.size(3) <= self.small_input)

    def columns(self, x: Tensor, w: Tensor, program: List[float], j: int) -> Tensor:
        """torch.conv_transpose2d(x, w) with the CONVT operands at program[j:], as one matrix
        product and col2im."""
        n, cin, h, wd = x.size(0), x.size(1), x.size(2), x.size(3)
        kh, kw = w.size(2), w.size(3)
        sh, sw, ph, pw = int(program[j + 2]), int(program[j + 3]), int(program[j + 4]), int(program[j + 5])
        dh, dw = int(program[j + 8]), int(program[j + 9])
        if n == 1:  # one matrix product, not a batch of one: libtorch's bmm is slower here
            cols = torch.mm(w.reshape(cin, -1).t(), x.reshape(cin, h * wd)).unsqueeze(0)
        else:
            cols = torch.matmul(w.reshape(cin, -1).t(), x.reshape(n, cin, h * wd))
        oh = (h - 1) * sh - 2 * ph + dh * (kh - 1) + int(program[j + 6]) + 1
        ow = (wd - 1) * sw - 2 * pw + dw * (kw - 1) + int(program[j + 7]) + 1
        return F.fold(cols, [oh, ow], [kh, kw], [dh, dw], [ph, pw], [sh, sw])

    def add_bias(self, x: Tensor, weights: List[Tensor], index: float) -> Tensor:
        """x plus the per-channel bias at `index` (-1: none), for the paths without a fused bias."""
        b = self.optional(weights, index)
        return x if b is None else x + b.reshape(1, -1, 1, 1)

    def optional(self, weights: List[Tensor], index: float) -> Optional[Tensor]:
        if int(index) < 0:
            return None
        return weights[int(index)]

    def forward(self, x: Tensor) -> Tensor:
        return x  # unused: TorchScript wants a forward; `fold` and `run` are called by name


if __name__ == "__main__":
    out = pathlib.Path(__file__).resolve().parent.parent / "src/main/resources/org/convmirror/internal/nn"
    torch.jit.script(Inference()).save(str(out / "inference.pt"))
    print("wrote", out / "inference.pt")
