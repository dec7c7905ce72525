#!/usr/bin/env python3
"""PyTorch reference fixtures for the activation and structure bricks (test/fixtures/act.json).

Usage (from the repository root):

    python3 tools/fixtures_act.py

Same format, rounding and per-case seeding as tools/make_fixtures.py (whose helpers this script
reuses): every case records inputs, output, a random gradOutput and the gradients of
sum(output * gradOutput), all computed by PyTorch in float64.

Covered:
- every activation, old and new, over inputs holding negatives, zeros, the kinks of each
  function (0, the Hardtanh / ReLU6 bounds, the Softplus threshold) and large values (±25, ±60,
  ±100); erf; prelu with one and per-channel slopes; maxout (functional, and the Maxout layer as
  linear + maxout);
- embedding (index shapes, repeated indices, paddingIdx positive and negative);
- interpolate: nearest / bilinear / linear, scale factors (integer, fractional, per dim, < 1),
  sizes, alignCorners true / false, recomputeScaleFactor;
- unfold / fold: kernel sizes, strides, paddings, dilations.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402  (reuses record / write_fixture / seed_for)

mf.GENERATOR = "tools/fixtures_act.py"
torch.set_default_dtype(torch.float64)

# Negatives, zeros, kinks and large values every activation case starts with; the rest is random.
SPECIALS = [0.0, 0.0, -1.0, 1.0, 6.0, -6.0, 3.0, 20.0, 20.001, 19.999,
            25.0, -25.0, 60.0, -60.0, 100.0, -100.0, 0.001, -0.001, 2.0, -2.0, 1.5]


def mixed(*shape, scale=3.0, specials=SPECIALS):
    """randn * scale with the first entries replaced by the special values."""
    x = (torch.randn(*shape) * scale).reshape(-1)
    k = min(len(specials), x.numel())
    x[:k] = torch.tensor(specials[:k])
    return x.reshape(shape)


def activation_cases():
    # name, op, fn, args, x shape
    specs = [
        ("relu", "relu", F.relu, {}, (4, 6)),
        ("leakyRelu_default", "leakyRelu", F.leaky_relu, {}, (4, 6)),
        ("leakyRelu_0.2", "leakyRelu", lambda x: F.leaky_relu(x, 0.2), {"negativeSlope": 0.2}, (4, 6)),
        ("sigmoid", "sigmoid", torch.sigmoid, {}, (4, 6)),
        ("tanh", "tanh", torch.tanh, {}, (4, 6)),
        ("softmax_dim1", "softmax", lambda x: F.softmax(x, 1), {"dim": 1}, (4, 6)),
        ("softmax_dim0", "softmax", lambda x: F.softmax(x, 0), {"dim": 0}, (4, 6)),
        ("logSoftmax_dim1", "logSoftmax", lambda x: F.log_softmax(x, 1), {"dim": 1}, (4, 6)),
        ("logSoftmax_dimm1_3d", "logSoftmax", lambda x: F.log_softmax(x, -1), {"dim": -1}, (2, 2, 6)),
        ("elu_default", "elu", F.elu, {}, (4, 6)),
        ("elu_alpha0.5", "elu", lambda x: F.elu(x, 0.5), {"alpha": 0.5}, (4, 6)),
        ("elu_alpha2", "elu", lambda x: F.elu(x, 2.0), {"alpha": 2.0}, (3, 7)),
        ("selu", "selu", F.selu, {}, (4, 6)),
        ("gelu_none", "gelu", F.gelu, {}, (4, 6)),
        ("gelu_none_dense", "gelu", F.gelu, {"approximate": "none"}, (5, 8)),
        ("gelu_tanh", "gelu", lambda x: F.gelu(x, approximate="tanh"), {"approximate": "tanh"}, (4, 6)),
        ("silu", "silu", F.silu, {}, (4, 6)),
        ("softplus_default", "softplus", F.softplus, {}, (4, 6)),
        ("softplus_beta2_thr3", "softplus", lambda x: F.softplus(x, 2.0, 3.0), {"beta": 2.0, "threshold": 3.0}, (4, 6)),
        ("softplus_beta0.5_thr1", "softplus", lambda x: F.softplus(x, 0.5, 1.0), {"beta": 0.5, "threshold": 1.0}, (4, 6)),
        ("softplus_beta3_thr60", "softplus", lambda x: F.softplus(x, 3.0, 60.0), {"beta": 3.0, "threshold": 60.0}, (4, 6)),
        ("hardtanh_default", "hardtanh", F.hardtanh, {}, (5, 6)),
        ("hardtanh_m2_3", "hardtanh", lambda x: F.hardtanh(x, -2.0, 3.0), {"minVal": -2.0, "maxVal": 3.0}, (5, 6)),
        ("hardtanh_m0.5_0.5", "hardtanh", lambda x: F.hardtanh(x, -0.5, 0.5), {"minVal": -0.5, "maxVal": 0.5}, (5, 6)),
        ("relu6", "relu6", F.relu6, {}, (4, 6)),
        ("erf", "erf", torch.erf, {}, (5, 8)),
    ]
    cases = []
    for name, op, fn, args, shape in specs:
        mf.seed_for(f"act_{name}")
        specials = SPECIALS + ([-3.0, 0.5, 0.999, 1.001] if op == "hardtanh" else [])
        if op == "hardtanh" and "minVal" in args:
            specials = specials + [args["minVal"], args["maxVal"]]
        x = mixed(*shape, specials=specials)
        cases.append(mf.record(f"act_{name}", op, lambda x, fn=fn: fn(x), {"x": x}, args))
    # erf over its whole range, densely (the series / continued-fraction switch sits at 2.5)
    mf.seed_for("act_erf_sweep")
    sweep = torch.linspace(-7, 7, 141).reshape(3, 47)
    cases.append(mf.record("act_erf_sweep", "erf", lambda x: torch.erf(x), {"x": sweep}))
    mf.seed_for("act_gelu_sweep")
    sweep = torch.linspace(-12, 12, 121).reshape(11, 11)
    cases.append(mf.record("act_gelu_sweep", "gelu", lambda x: F.gelu(x), {"x": sweep}, {"approximate": "none"}))
    return cases


def prelu_cases():
    specs = [
        # name, x shape, weight size
        ("prelu_2d_shared", (4, 5), 1),
        ("prelu_2d_channels", (4, 5), 5),
        ("prelu_3d_channels", (2, 3, 4), 3),
        ("prelu_4d_channels", (2, 3, 3, 4), 3),
        ("prelu_4d_shared", (2, 3, 3, 2), 1),
        ("prelu_1d_shared", (7,), 1),
    ]
    cases = []
    for name, shape, n in specs:
        mf.seed_for(name)
        x = mixed(*shape)
        weight = torch.rand(n) * 0.6 - 0.1
        cases.append(mf.record(f"act_{name}", "prelu", lambda x, weight: F.prelu(x, weight), {"x": x, "weight": weight}))
    return cases


def maxout_cases():
    cases = []
    specs = [
        # name, x shape, pieces, dim
        ("maxout_4d_dim1_p2", (2, 6, 3, 2), 2, 1),
        ("maxout_4d_dim1_p3", (2, 6, 2, 3), 3, 1),
        ("maxout_2d_dimm1_p4", (3, 8), 4, -1),
        ("maxout_3d_dim2_p2", (2, 3, 4), 2, 2),
    ]
    for name, shape, pieces, dim in specs:
        mf.seed_for(name)
        x = mf.distinct(*shape, scale=0.37)

        def fn(x, pieces=pieces, dim=dim):
            d = dim % x.dim()
            grouped = x.shape[:d] + (x.shape[d] // pieces, pieces) + x.shape[d + 1:]
            return x.reshape(grouped).amax(d + 1)

        cases.append(mf.record(f"act_{name}", "maxout", fn, {"x": x}, {"pieces": pieces, "dim": dim}))
    # The layer: Linear(in, out * pieces), then the max over each unit's pieces.
    for name, batch, fin, fout, pieces, bias in [("maxoutLinear_4_3_k2", (5,), 4, 3, 2, True),
                                               ("maxoutLinear_3_2_k3_nobias_3d", (2, 3), 3, 2, 3, False)]:
        mf.seed_for(name)
        inputs = {"x": torch.randn(*batch, fin), "weight": torch.randn(fout * pieces, fin)}
        if bias:
            inputs["bias"] = torch.randn(fout * pieces)

        def fn(x, weight, bias=None, fout=fout, pieces=pieces):
            y = F.linear(x, weight, bias)
            return y.reshape(*y.shape[:-1], fout, pieces).amax(-1)

        cases.append(mf.record(f"act_{name}", "maxoutLinear", fn, inputs, {"pieces": pieces}))
    return cases


def embedding_cases():
    specs = [
        # name, num, dim, index shape, paddingIdx
        ("embedding_1d", 10, 4, (6,), None),
        ("embedding_2d_repeats", 7, 3, (3, 4), None),
        ("embedding_3d_pad0", 6, 5, (2, 3, 2), 0),
        ("embedding_2d_padm1", 5, 2, (4, 3), -1),
        ("embedding_scalar_index", 4, 3, (), None),
    ]
    cases = []
    for name, num, dim, shape, pad in specs:
        mf.seed_for(name)
        weight = torch.randn(num, dim)
        index = torch.randint(0, num, shape)
        if pad is not None:  # make sure the padding row is looked up (and gets no gradient)
            index.view(-1)[0] = pad % num
            index.view(-1)[-1] = pad % num
        args = {} if pad is None else {"paddingIdx": pad}
        cases.append(mf.record(name, "embedding", lambda weight, index, pad=pad: F.embedding(index, weight, padding_idx=pad),
                               {"weight": weight, "index": index}, args))
    return cases


def interpolate_cases():
    specs = [
        # name, x shape, mode, size, scale, alignCorners, recompute
        ("nearest_s2", (2, 3, 4, 5), "nearest", None, 2.0, None, None),
        ("nearest_s3_ties", (1, 2, 3, 3), "nearest", None, 3.0, None, None),
        ("nearest_s1.5", (2, 2, 5, 7), "nearest", None, 1.5, None, None),
        ("nearest_s1.7x2.3", (1, 2, 4, 5), "nearest", None, [1.7, 2.3], None, None),
        ("nearest_s0.5_down", (2, 2, 6, 8), "nearest", None, 0.5, None, None),
        ("nearest_s0.6_down", (1, 2, 7, 9), "nearest", None, 0.6, None, None),
        ("nearest_size_5x9", (2, 2, 3, 4), "nearest", [5, 9], None, None, None),
        ("nearest_size_2x3_down", (1, 3, 7, 5), "nearest", [2, 3], None, None, None),
        ("nearest_s1.3_recompute", (1, 2, 5, 6), "nearest", None, 1.3, None, True),
        # float32 index arithmetic decides W (6 -> 44: out 37 reads 5, not 4); H: out == in
        ("nearest_s1.3x7.4_float_index", (1, 1, 3, 6), "nearest", None, [1.3, 7.4], None, None),
        # H: out == 2 * in (exact halving); W: 6 -> 74, where float32 n/m decides out 37
        ("nearest_size_6x74_float_index", (1, 1, 3, 6), "nearest", [6, 74], None, None, None),
        ("nearest_s2.2_double", (1, 1, 3, 3), "nearest", None, 2.2, None, None),
        ("nearest_1d_s2.5", (2, 3, 4), "nearest", None, 2.5, None, None),
        ("bilinear_s2_false", (2, 3, 4, 5), "bilinear", None, 2.0, False, None),
        ("bilinear_s2_true", (2, 3, 4, 5), "bilinear", None, 2.0, True, None),
        ("bilinear_s1.5_false", (1, 2, 5, 7), "bilinear", None, 1.5, False, None),
        ("bilinear_s1.5_true", (1, 2, 5, 7), "bilinear", None, 1.5, True, None),
        ("bilinear_s1.7x2.3_false", (1, 2, 4, 5), "bilinear", None, [1.7, 2.3], False, None),
        ("bilinear_s3_false", (1, 1, 3, 3), "bilinear", None, 3.0, False, None),
        ("bilinear_s0.5_down_false", (2, 2, 6, 8), "bilinear", None, 0.5, False, None),
        ("bilinear_s0.6_down_true", (1, 2, 7, 9), "bilinear", None, 0.6, True, None),
        ("bilinear_size_5x9_false", (2, 2, 3, 4), "bilinear", [5, 9], None, False, None),
        ("bilinear_size_5x9_true", (2, 2, 3, 4), "bilinear", [5, 9], None, True, None),
        ("bilinear_size_3x2_down_false", (1, 2, 7, 5), "bilinear", [3, 2], None, False, None),
        ("bilinear_size_1x4_true", (1, 2, 3, 5), "bilinear", [1, 4], None, True, None),
        ("bilinear_from_1x1_false", (1, 2, 1, 1), "bilinear", [3, 4], None, False, None),
        ("bilinear_s1.3_recompute_false", (1, 2, 5, 6), "bilinear", None, 1.3, False, True),
        ("linear_1d_s2_false", (2, 3, 5), "linear", None, 2.0, False, None),
        ("linear_1d_size7_true", (2, 2, 4), "linear", 7, None, True, None),
    ]
    cases = []
    for name, shape, mode, size, scale, align, recompute in specs:
        mf.seed_for(name)
        x = torch.randn(*shape)
        args = {"mode": mode}
        kwargs = {"mode": mode}
        if size is not None:
            args["size"] = size
            kwargs["size"] = tuple(size) if isinstance(size, list) else size
        if scale is not None:
            args["scaleFactor"] = scale
            kwargs["scale_factor"] = tuple(scale) if isinstance(scale, list) else scale
        if align is not None:
            args["alignCorners"] = align
            kwargs["align_corners"] = align
        if recompute is not None:
            args["recomputeScaleFactor"] = recompute
            kwargs["recompute_scale_factor"] = recompute
        cases.append(mf.record(f"interpolate_{name}", "interpolate", lambda x, kw=kwargs: F.interpolate(x, **kw), {"x": x}, args))
    return cases


def fold_cases():
    specs = [
        # name, (N, C, H, W), kernel, dilation, padding, stride
        ("k2", (2, 3, 4, 5), 2, 1, 0, 1),
        ("k3_p1", (2, 2, 5, 5), 3, 1, 1, 1),
        ("k3_s2", (1, 2, 7, 6), 3, 1, 0, 2),
        ("k3_s2_p1", (2, 2, 6, 7), 3, 1, 1, 2),
        ("k2x3_s2x1_p1x0", (1, 3, 5, 6), (2, 3), 1, (1, 0), (2, 1)),
        ("k3_d2", (1, 2, 7, 7), 3, 2, 0, 1),
        ("k2_d2x1_p2_s3", (2, 1, 8, 7), 2, (2, 1), 2, 3),
        ("k1_s2", (1, 3, 5, 5), 1, 1, 0, 2),
        ("k4_s4_patches", (1, 2, 8, 8), 4, 1, 0, 4),
    ]
    cases = []
    for name, shape, k, d, p, s in specs:
        geo = {"kernelSize": mf.pair(k), "dilation": mf.pair(d), "padding": mf.pair(p), "stride": mf.pair(s)}
        mf.seed_for(f"unfold_{name}")
        x = torch.randn(*shape)
        cases.append(mf.record(f"unfold_{name}", "unfold",
                               lambda x, k=k, d=d, p=p, s=s: F.unfold(x, k, dilation=d, padding=p, stride=s), {"x": x}, geo))
        mf.seed_for(f"fold_{name}")
        n, c, h, w = shape
        blocks = F.unfold(torch.zeros(shape), k, dilation=d, padding=p, stride=s).shape
        cols = torch.randn(*blocks)
        args = dict(geo, outputSize=[h, w])
        cases.append(mf.record(f"fold_{name}", "fold",
                               lambda x, k=k, d=d, p=p, s=s, hw=(h, w): F.fold(x, hw, k, dilation=d, padding=p, stride=s), {"x": cols}, args))
    return cases


def main():
    os.makedirs(mf.OUT_DIR, exist_ok=True)
    print(f"torch {torch.__version__}, writing to {mf.OUT_DIR}")
    cases = (activation_cases() + prelu_cases() + maxout_cases() + embedding_cases()
             + interpolate_cases() + fold_cases())
    mf.write_fixture("act.json", cases)


if __name__ == "__main__":
    main()
