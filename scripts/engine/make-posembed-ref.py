#!/usr/bin/python3
"""Reference for the position-embedding resize test: torch F.interpolate(mode="bicubic", antialias=True,
align_corners=False) on a deterministic grid. Run with Debian's python3-torch:
    /usr/bin/python3 scripts/engine/make-posembed-ref.py > test/unit/engine/data/posembed-aa-bicubic.json
The input formula is mirrored in test/unit/engine/posEmbedResize.unit.test.ts (exact in binary floating point)."""
import json
import torch
import torch.nn.functional as F

C = 3


def grid(n):
    t = torch.zeros(n, n, C, dtype=torch.float64)
    for y in range(n):
        for x in range(n):
            for c in range(C):
                t[y, x, c] = ((y * 31 + x * 17 + c * 7) % 23) / 23 - 0.5 + (x * y) / 1024
    return t


cases = []
for src, dst in [(24, 17), (16, 17), (7, 5), (7, 9), (7, 7)]:
    g = grid(src).permute(2, 0, 1).unsqueeze(0)  # [1, C, H, W], as resize_pos_embed does
    out = {}
    for name, dt in [("f64", torch.float64), ("f32", torch.float32)]:
        r = F.interpolate(g.to(dt), size=(dst, dst), mode="bicubic", antialias=True, align_corners=False)
        out[name] = r[0].permute(1, 2, 0).reshape(-1).to(torch.float64).tolist()  # channels-last [dst*dst*C]
    cases.append({"in": src, "out": dst, "channels": C, **out})
print(json.dumps({"torch": torch.__version__, "cases": cases}))
