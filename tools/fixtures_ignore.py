#!/usr/bin/env python3
"""PyTorch reference fixtures for cross-entropy / NLL with ignore_index (test/fixtures/ignore.json).

Usage (from the repository root):  python3 tools/fixtures_ignore.py

The character model pads its batches with target -100 (PyTorch's default ignore_index) so the
padding never reaches the loss. Cases: F.cross_entropy and F.nll_loss on [N, C] and on
[N, C, T] (the layout of a sequence of class scores) with some targets ignored, for every
reduction, with the default ignore_index and with an explicit one; args {"reduction",
"ignoreIndex"}. Float64; inputs quantized to multiples of 0.001.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402

mf.GENERATOR = "tools/fixtures_ignore.py"
torch.set_default_dtype(torch.float64)


def main():
    cases = []
    shapes = {"2d": ((6, 5), (6,)), "3d": ((3, 4, 5), (3, 5))}
    for op, fn in (("crossEntropy", F.cross_entropy), ("nllLoss", F.nll_loss)):
        for label, (xs, ts) in shapes.items():
            for ignore in (-100, 2):
                for reduction in ("mean", "sum", "none"):
                    name = f"{op}_{label}_ignore{ignore}_{reduction}"
                    mf.seed_for(name)
                    classes = xs[1]
                    x = torch.randn(xs) * 2
                    if op == "nllLoss":
                        x = F.log_softmax(x, dim=1)
                    target = torch.randint(0, classes, ts)
                    # about a third of the targets ignored, and never all of them
                    mask = torch.rand(ts) < 0.35
                    mask.view(-1)[0] = False
                    mask.view(-1)[-1] = True
                    target[mask] = ignore
                    cases.append(mf.record(
                        name, op,
                        lambda x, target, r=reduction, i=ignore: fn(x, target, reduction=r, ignore_index=i),
                        {"x": x, "target": target}, {"reduction": reduction, "ignoreIndex": ignore},
                        grad_inputs={"x"}))
    mf.write_fixture("ignore.json", cases)


if __name__ == "__main__":
    main()
