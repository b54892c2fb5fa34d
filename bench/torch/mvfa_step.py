"""PyTorch twin of the MVFA training step that `npm run bench:train --torch` times against our ONNX step.

Reads the trunk, adapters, inputs and our own loss/gradients from a safetensors file written by bench/train.ts
(so both sides run on the same weights), checks that loss and gradients agree, then serves timed steps over a
line protocol so the Node side can interleave ours/torch (A/B/A/B) in one run:
  stdout "ready <json>"  after loading, the equivalence check and one warm-up step
  stdin  "step"        → stdout "<ms>"   one forward + loss.backward(), adapters trainable, trunk frozen
  stdin  "quit"        → stdout "rss <GiB>" and exit
Standard library + numpy + torch only (the safetensors package is not on Debian).
"""
import argparse
import json
import math
import os
import resource
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path):
    """Minimal reader: u64 header length, JSON header, raw little-endian data (we write F32 only). Each tensor is
    read straight into its own array, so the peak RSS holds the weights once (not file bytes + copies)."""
    out = {}
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        base = 8 + n
        for name, t in header.items():
            if name == "__metadata__":
                continue
            assert t["dtype"] == "F32", t["dtype"]
            arr = np.empty(t["shape"], dtype="<f4")
            f.seek(base + t["data_offsets"][0])
            f.readinto(memoryview(arr).cast("B"))
            out[name] = torch.from_numpy(arr)
    return out, header.get("__metadata__", {})


def block(x, w, p, heads, eps):
    """Pre-LN CLIP block with exact GELU; same maths as kernel/engine/clip/block.ts (scale applied to scores)."""
    B, N, D = x.shape
    hd = D // heads
    a = F.layer_norm(x, (D,), w[p + "ln1.weight"], w[p + "ln1.bias"], eps)
    split = lambda t: t.reshape(B, N, heads, hd).transpose(1, 2)
    q = split(F.linear(a, w[p + "q.weight"], w[p + "q.bias"]))
    k = split(F.linear(a, w[p + "k.weight"], w[p + "k.bias"]))
    v = split(F.linear(a, w[p + "v.weight"], w[p + "v.bias"]))
    att = torch.softmax((q @ k.transpose(-1, -2)) / math.sqrt(hd), dim=-1)
    ctx = (att @ v).transpose(1, 2).reshape(B, N, D)
    x = x + F.linear(ctx, w[p + "out.weight"], w[p + "out.bias"])
    m = F.layer_norm(x, (D,), w[p + "ln2.weight"], w[p + "ln2.bias"], eps)
    return x + F.linear(F.gelu(F.linear(m, w[p + "fc1.weight"], w[p + "fc1.bias"])), w[p + "fc2.weight"], w[p + "fc2.bias"])


def adapter(x, fc1, fc2):
    med = F.leaky_relu(F.linear(x, fc1), 0.01)
    return med, F.leaky_relu(F.linear(med, fc2), 0.01)


def mvfa_loss(seg_meds, det_meds, text_t, mask, label, grid, size):
    """kernel/methods/mvfa/loss.ts: BCE-with-logits on the mean abnormal prob + focal(γ 2) + dice per level."""
    def logits(med):
        p = med[:, 1:]
        return 100.0 * (p / p.norm(dim=-1, keepdim=True)) @ text_t  # [B, g², 2]

    terms = []
    for med in det_meds:
        score = torch.softmax(logits(med), -1)[..., 1].mean(dim=1)
        terms.append(F.binary_cross_entropy_with_logits(score, label))
    m = (mask > 0.5).float()  # [B, 1, S, S]
    onehot = torch.cat([(m.long() == c).float() for c in range(2)], 1).clamp(1e-5, 1 - 1e-5)
    for med in seg_meds:
        maps = logits(med).transpose(1, 2).reshape(-1, 2, grid, grid)
        probs = torch.softmax(F.interpolate(maps, size=(size, size), mode="bilinear", align_corners=True), 1)
        pt = (onehot * probs).sum(1) + 1e-5
        terms.append((-(1 - pt) ** 2 * pt.log()).mean())
        p1 = probs[:, 1].reshape(probs.shape[0], -1)
        mf = m.reshape(m.shape[0], -1)
        terms.append(1 - ((2 * (p1 * mf).sum(1) + 1) / (p1.sum(1) + mf.sum(1) + 1)).mean())
    return sum(terms)


def blas_library():
    """The BLAS torch actually loaded (Debian's torch links libblas.so.3, whatever the alternatives point to: the
    reference netlib BLAS is ~10x slower than OpenBLAS, which would make the comparison meaningless)."""
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    real = sorted({os.path.realpath(p) for p in libs})
    return ", ".join(real) or "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", required=True)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    w, meta = read_safetensors(args.weights)
    heads, eps, taps = int(meta["heads"]), float(meta["eps"]), json.loads(meta["taps"])
    size, patch = int(meta["size"]), int(meta["patch"])
    grid = size // patch
    levels = len(taps)
    names = json.loads(meta["params"])
    params = {n: w[n].clone().requires_grad_(True) for n in names}  # trunk tensors stay requires_grad False

    def step():
        x = F.conv2d(w["pixels"], w["patch_embedding"], stride=patch).flatten(2).transpose(1, 2)
        x = torch.cat([w["class_embedding"].reshape(1, 1, -1).expand(x.shape[0], 1, -1), x], 1) + w["position_embedding"]
        x = F.layer_norm(x, (x.shape[-1],), w["ln_pre.weight"], w["ln_pre.bias"], eps)
        seg_meds, det_meds = [], []
        for i in range(max(taps)):
            x = block(x, w, f"blocks.{i}.", heads, eps)
            if i + 1 in taps:
                l = taps.index(i + 1)
                sm, so = adapter(x, params[f"seg_adapters.{l}.fc1.0.weight"], params[f"seg_adapters.{l}.fc2.0.weight"])
                dm, do = adapter(x, params[f"det_adapters.{l}.fc1.0.weight"], params[f"det_adapters.{l}.fc2.0.weight"])
                seg_meds.append(sm)
                det_meds.append(dm)
                x = 0.8 * x + 0.1 * so + 0.1 * do
        loss = mvfa_loss(seg_meds, det_meds, w["text_T"], w["mask"], w["label"], grid, size)
        for p in params.values():
            p.grad = None
        loss.backward()
        return loss

    loss = step()
    ours = float(w["ours.loss"].reshape(-1)[0])
    # Worst relative L2 error over the gradients (ours vs autograd); 'ours.grad.*' come from our step run. The last
    # level's fc2 weights have no path to the loss (nothing runs after the last tap): torch gives None, ours zeros.
    def rel(n):
        g = params[n].grad if params[n].grad is not None else torch.zeros_like(params[n])
        d = (g - w["ours.grad." + n].reshape(g.shape)).norm()
        return float(d / g.norm()) if float(g.norm()) > 0 else float(d)

    grad_err = max(rel(n) for n in names)
    check = {"torch": torch.__version__, "blas": blas_library(), "lossTorch": float(loss), "lossOurs": ours, "lossRel": abs(float(loss) - ours) / max(abs(ours), 1e-30), "gradRelMax": grad_err, "levels": levels}
    print("ready " + json.dumps(check), flush=True)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "step":
            t = time.perf_counter()
            step()
            print(f"{(time.perf_counter() - t) * 1e3:.3f}", flush=True)
        elif cmd == "quit":
            break
    print(f"rss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024:.3f}", flush=True)  # KiB → GiB


if __name__ == "__main__":
    main()
