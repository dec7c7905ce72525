#!/usr/bin/env python3
"""Generate the PyTorch reference fixtures that Tessera's tests compare against.

Usage (from the repository root):

    apt-get install -y python3-torch   # or: pip install torch
    npm run fixtures                    # runs: python3 tools/make_fixtures.py

Every number is computed by PyTorch in float64 and written to test/fixtures/*.json,
rounded to 12 significant digits. The JSON files are committed, so the TypeScript
tests never need PyTorch.

Each op case records its inputs, its output, a random upstream gradient
`gradOutput` (same shape as the output) and the gradients of
sum(output * gradOutput) with respect to every float input that PyTorch
differentiates. See test/fixtures/README.md for the format.

Determinism: the random generator is re-seeded from a hash of each case's name
right before the case's tensors are drawn, so adding, removing or reordering
cases never changes the numbers of the other cases.
"""

import json
import math
import os
import warnings
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

GENERATOR = "tools/make_fixtures.py"
SIGNIFICANT_DIGITS = 12
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "test", "fixtures")

torch.set_default_dtype(torch.float64)
# padding="same" with an even kernel makes PyTorch pad a copy of the input; that is
# exactly the case we want recorded, so its performance warning is only noise here.
warnings.filterwarnings("ignore", message="Using padding='same' with even kernel")


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def seed_for(name):
    """Seed torch's generator from the case name (stable across Python runs)."""
    torch.manual_seed(zlib.crc32(name.encode("utf-8")))


def round_number(v):
    """Round a float to SIGNIFICANT_DIGITS significant digits; turn -0.0 into 0.0."""
    if not math.isfinite(v):
        raise ValueError(f"non-finite value {v} in a fixture")
    return float(f"{v:.{SIGNIFICANT_DIGITS}g}") + 0.0


def tensor_json(t):
    """{shape, data[, dtype]} with data flattened in row-major order."""
    t = t.detach().contiguous()
    out = {"shape": list(t.shape)}
    flat = t.reshape(-1).tolist()
    if t.dtype == torch.bool:
        out["dtype"] = "bool"
        out["data"] = [1 if v else 0 for v in flat]
    elif t.dtype in (torch.int64, torch.int32):
        out["dtype"] = "int64"
        out["data"] = [int(v) for v in flat]
    else:
        out["data"] = [round_number(v) for v in flat]
    return out


def quantize(t):
    """Round to multiples of 0.001 so a generated input is written to JSON exactly.

    k / 1000 (correctly rounded division) is the double nearest to the decimal
    literal, so the TypeScript side parses exactly the value PyTorch used.
    """
    return torch.round(t * 1000) / 1000


def record(name, op, fn, inputs, args=None, grad_inputs=None):
    """Run fn(**inputs) on float64 leaf tensors and record a fixture case.

    inputs:      dict name -> tensor. Float tensors are quantized (see quantize)
                 and become float64 leaves; integer / bool tensors are passed
                 through and get no grad.
    grad_inputs: names of the float inputs that require grad (default: all of them).
    A randn gradOutput (also quantized) is drawn after the forward pass, then
    sum(output * gradOutput) is backpropagated.
    """
    leaves = {}
    for key, t in inputs.items():
        if t.is_floating_point():
            leaf = quantize(t.detach().to(torch.float64))
            wants_grad = grad_inputs is None or key in grad_inputs
            leaf.requires_grad_(wants_grad)
            leaves[key] = leaf
        else:
            leaves[key] = t.detach().clone()

    output = fn(**leaves)
    grad_output = quantize(torch.randn_like(output))
    if output.requires_grad:
        output.backward(grad_output)

    case = {"name": name, "op": op, "args": args or {}}
    case["inputs"] = {k: tensor_json(v) for k, v in leaves.items()}
    case["output"] = tensor_json(output)
    case["gradOutput"] = tensor_json(grad_output)
    case["grads"] = {
        k: tensor_json(v.grad)
        for k, v in leaves.items()
        if v.is_floating_point() and v.grad is not None
    }
    return case


def write_fixture(filename, cases):
    names = [c["name"] for c in cases]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"{filename}: duplicate case names {sorted(duplicates)}")
    path = os.path.join(OUT_DIR, filename)
    # One case per line: compact, yet diffs stay readable.
    header = json.dumps({"generator": GENERATOR, "torch": torch.__version__})[:-1]
    body = ",\n".join(json.dumps(c, separators=(",", ":"), allow_nan=False) for c in cases)
    with open(path, "w", encoding="utf-8") as f:
        f.write(header + ', "cases": [\n' + body + "\n]}\n")
    with open(path, encoding="utf-8") as f:
        json.load(f)  # sanity check: the file parses
    size_kb = os.path.getsize(path) / 1024
    print(f"{filename:16s} {len(cases):3d} cases {size_kb:7.1f} KB")


def pair(v):
    """Pass ints and strings through; turn tuples into [a, b] lists for JSON."""
    return list(v) if isinstance(v, (tuple, list)) else v


def away_from(x, points, margin):
    """Nudge values of x so that none lies within `margin` of any of `points`."""
    x = x.clone()
    for p in points:
        near = (x - p).abs() < margin
        x = torch.where(near, p + torch.where(x >= p, margin, -margin) * 2, x)
    return x


def distinct(*shape, scale=0.1):
    """A tensor whose entries are all distinct (a scaled random permutation)."""
    n = math.prod(shape)
    perm = torch.randperm(n).to(torch.float64)
    return ((perm - n / 2) * scale).reshape(shape)


# --------------------------------------------------------------------------
# 1. linear
# --------------------------------------------------------------------------

def linear_cases():
    specs = [
        # name,                   x shape,    out, bias
        ("linear_2d_bias",        (4, 5),     3,   True),
        ("linear_2d_nobias",      (4, 5),     3,   False),
        ("linear_3d_bias",        (2, 3, 5),  4,   True),
        ("linear_3d_nobias",      (2, 3, 5),  4,   False),
        ("linear_4d_bias",        (2, 2, 3, 4), 2, True),
    ]
    cases = []
    for name, x_shape, out_features, bias in specs:
        seed_for(name)
        in_features = x_shape[-1]
        inputs = {"x": torch.randn(x_shape),
                  "weight": torch.randn(out_features, in_features)}
        if bias:
            inputs["bias"] = torch.randn(out_features)
        cases.append(record(name, "linear",
                            lambda x, weight, bias=None: F.linear(x, weight, bias),
                            inputs))
    return cases


# --------------------------------------------------------------------------
# 2. conv2d
# --------------------------------------------------------------------------

def conv2d_cases():
    # Batch 2 throughout; channels and spatial sizes are kept small so the file stays small.
    # (name, in_ch, out_ch, (H, W), kernel (kh, kw), stride, padding, dilation, groups, bias)
    specs = [
        # strides
        ("conv2d_k3_s1_p0_d1_g1_bias",        2, 3, (7, 9), (3, 3), 1, 0, 1, 1, True),
        ("conv2d_k3_s1_p1_d1_g1_nobias",      2, 2, (5, 7), (3, 3), 1, 1, 1, 1, False),
        ("conv2d_k3_s2_p1_d1_g1_bias",        2, 3, (7, 9), (3, 3), 2, 1, 1, 1, True),
        ("conv2d_k3_s2_p0_d1_g1_nobias",      2, 2, (8, 8), (3, 3), 2, 0, 1, 1, False),
        ("conv2d_k3_s3_p0_d1_g1_bias",        2, 2, (7, 9), (3, 3), 3, 0, 1, 1, True),
        ("conv2d_k3_s3_p1_d1_g1_bias_8x8",    2, 2, (8, 8), (3, 3), 3, 1, 1, 1, True),
        ("conv2d_k3_s2x1_p1_d1_g1_bias",      2, 2, (7, 9), (3, 3), (2, 1), 1, 1, 1, True),
        ("conv2d_k3_s1x2_p0x2_d1x2_g1_bias",  2, 2, (6, 9), (3, 3), (1, 2), (0, 2), (1, 2), 1, True),
        # paddings
        ("conv2d_k3_s1_p2_d1_g1_bias",        2, 2, (5, 6), (3, 3), 1, 2, 1, 1, True),
        ("conv2d_k3_s1_p1x2_d1_g1_bias",      2, 2, (5, 7), (3, 3), 1, (1, 2), 1, 1, True),
        ("conv2d_k3_s2_p1x2_d1_g1_nobias",    2, 3, (7, 9), (3, 3), 2, (1, 2), 1, 1, False),
        ("conv2d_k3_valid_bias",              2, 3, (7, 9), (3, 3), 1, "valid", 1, 1, True),
        ("conv2d_k2x3_valid_nobias",          2, 2, (6, 7), (2, 3), 1, "valid", 1, 1, False),
        # "same" (stride 1 only); an even effective kernel pads one more on bottom/right
        ("conv2d_k3_same_d1_g1_bias",         2, 2, (5, 7), (3, 3), 1, "same", 1, 1, True),
        ("conv2d_k2x3_same_d1_g1_bias",       2, 2, (5, 7), (2, 3), 1, "same", 1, 1, True),
        ("conv2d_k2x2_same_d1_g1_nobias",     2, 2, (6, 7), (2, 2), 1, "same", 1, 1, False),
        ("conv2d_k3_same_d2_g1_bias",         2, 2, (5, 7), (3, 3), 1, "same", 2, 1, True),
        ("conv2d_k2x3_same_d2_g1_bias",       2, 2, (5, 7), (2, 3), 1, "same", 2, 1, True),
        ("conv2d_k2x2_same_d3_g1_bias",       2, 2, (6, 7), (2, 2), 1, "same", 3, 1, True),
        ("conv2d_k5_same_d1_g1_nobias",       2, 2, (5, 6), (5, 5), 1, "same", 1, 1, False),
        ("conv2d_k3_same_d1_g3_bias",         3, 3, (5, 5), (3, 3), 1, "same", 1, 3, True),
        # dilation
        ("conv2d_k3_s1_p0_d2_g1_bias",        2, 3, (7, 9), (3, 3), 1, 0, 2, 1, True),
        ("conv2d_k3_s2_p2_d2_g1_nobias",      2, 3, (7, 9), (3, 3), 2, 2, 2, 1, False),
        ("conv2d_k3_s1_p1_d2x1_g1_bias",      2, 2, (7, 9), (3, 3), 1, 1, (2, 1), 1, True),
        # groups
        ("conv2d_k3_s1_p1_d1_g2_bias",        4, 2, (5, 5), (3, 3), 1, 1, 1, 2, True),
        ("conv2d_k3_s2_p1_d1_g2_nobias",      4, 4, (5, 7), (3, 3), 2, 1, 1, 2, False),
        ("conv2d_k3_s2_p1_d2_g2_bias",        4, 2, (7, 7), (3, 3), 2, 1, 2, 2, True),
        ("conv2d_k3_s1_p0_d1_g3_bias",        6, 3, (5, 5), (3, 3), 1, 0, 1, 3, True),
        ("conv2d_k3_s2_p1_d1_g3_nobias",      3, 6, (5, 7), (3, 3), 2, 1, 1, 3, False),
        # depthwise: groups == in_channels (out = 2 * in, and out = in)
        ("conv2d_k3_depthwise_x2_p1_bias",    3, 6, (5, 5), (3, 3), 1, 1, 1, 3, True),
        ("conv2d_k3_depthwise_x2_s2_nobias",  3, 6, (7, 9), (3, 3), 2, 0, 1, 3, False),
        ("conv2d_k3_depthwise_x1_p1_bias",    3, 3, (5, 6), (3, 3), 1, 1, 1, 3, True),
        # other kernel sizes
        ("conv2d_k1_s1_p0_d1_g1_bias",        3, 2, (5, 7), (1, 1), 1, 0, 1, 1, True),
        ("conv2d_k1_s2_p0_d1_g1_nobias",      3, 2, (7, 9), (1, 1), 2, 0, 1, 1, False),
        ("conv2d_k2x3_s1_p0_d1_g1_bias",      2, 2, (5, 7), (2, 3), 1, 0, 1, 1, True),
        ("conv2d_k2x3_s2_p1x0_d1_g1_bias",    2, 3, (7, 9), (2, 3), 2, (1, 0), 1, 1, True),
        ("conv2d_k2x3_s3x4_p0_d1_g1_bias",    2, 3, (8, 9), (2, 3), (3, 4), 0, 1, 1, True),
        ("conv2d_k5_s1_p2_d1_g1_bias",        2, 2, (5, 7), (5, 5), 1, 2, 1, 1, True),
        ("conv2d_k5_s2_p0_d1_g1_nobias",      2, 3, (9, 9), (5, 5), 2, 0, 1, 1, False),
        ("conv2d_k5_s1_p0_kernel_eq_input",   2, 2, (5, 5), (5, 5), 1, 0, 1, 1, True),
        ("conv2d_k3_s1_p1_out1_bias",         2, 1, (5, 6), (3, 3), 1, 1, 1, 1, True),
    ]
    cases = []
    for name, cin, cout, (h, w), kernel, stride, padding, dilation, groups, bias in specs:
        seed_for(name)
        inputs = {"x": torch.randn(2, cin, h, w),
                  "weight": torch.randn(cout, cin // groups, *kernel) * 0.5}
        if bias:
            inputs["bias"] = torch.randn(cout)
        args = {"stride": pair(stride), "padding": pair(padding),
                "dilation": pair(dilation), "groups": groups}

        def fn(x, weight, bias=None, stride=stride, padding=padding,
               dilation=dilation, groups=groups):
            return F.conv2d(x, weight, bias, stride=stride, padding=padding,
                            dilation=dilation, groups=groups)

        cases.append(record(name, "conv2d", fn, inputs, args))
    return cases


# --------------------------------------------------------------------------
# 3. pooling
# --------------------------------------------------------------------------

def max_pool2d_cases():
    # (name, (C, H, W), kernel, stride (None = kernel), padding, dilation, ceil_mode)
    specs = [
        ("max_pool2d_k2_7x9",                 (3, 7, 9), 2, None, 0, 1, False),
        ("max_pool2d_k2_8x8",                 (2, 8, 8), 2, None, 0, 1, False),
        ("max_pool2d_k3_s2_7x9",              (3, 7, 9), 3, 2, 0, 1, False),
        ("max_pool2d_k3_s1_p1",               (2, 6, 7), 3, 1, 1, 1, False),
        ("max_pool2d_k3_s2_p1",               (3, 7, 9), 3, 2, 1, 1, False),
        ("max_pool2d_k2x3_s1x2",              (2, 7, 9), (2, 3), (1, 2), 0, 1, False),
        ("max_pool2d_k3_s2_p1x0",             (2, 7, 8), 3, 2, (1, 0), 1, False),
        ("max_pool2d_k2_s3_stride_gt_kernel", (2, 8, 9), 2, 3, 0, 1, False),
        ("max_pool2d_k2_ceil_7x9",            (3, 7, 9), 2, None, 0, 1, True),
        ("max_pool2d_k3_s2_ceil_8x8",         (2, 8, 8), 3, 2, 0, 1, True),
        # ceil rule: the window that would start in the right padding is dropped
        ("max_pool2d_k2_s2_p1_ceil_5x7",      (2, 5, 7), 2, 2, 1, 1, True),
        ("max_pool2d_k3_s3_p1_ceil_6x7",      (2, 6, 7), 3, 3, 1, 1, True),
        ("max_pool2d_k3_d2",                  (2, 7, 9), 3, 1, 0, 2, False),
        ("max_pool2d_k2_s2_p1_d2_ceil",       (2, 7, 8), 2, 2, 1, 2, True),
        ("max_pool2d_k3_s2_d2x1_p1",          (2, 9, 7), 3, 2, 1, (2, 1), False),
    ]
    cases = []
    for name, (c, h, w), kernel, stride, padding, dilation, ceil_mode in specs:
        seed_for(name)
        inputs = {"x": distinct(2, c, h, w, scale=0.05)}
        args = {"kernelSize": pair(kernel)}
        if stride is not None:
            args["stride"] = pair(stride)
        args.update({"padding": pair(padding), "dilation": pair(dilation),
                     "ceilMode": ceil_mode})

        def fn(x, kernel=kernel, stride=stride, padding=padding,
               dilation=dilation, ceil_mode=ceil_mode):
            return F.max_pool2d(x, kernel, stride=stride, padding=padding,
                                dilation=dilation, ceil_mode=ceil_mode)

        cases.append(record(name, "maxPool2d", fn, inputs, args))
    return cases


def avg_pool2d_cases():
    # (name, (C, H, W), kernel, stride (None = kernel), padding, ceil_mode, count_include_pad)
    specs = [
        ("avg_pool2d_k2_7x9",                   (3, 7, 9), 2, None, 0, False, True),
        ("avg_pool2d_k2_8x8",                   (2, 8, 8), 2, None, 0, False, True),
        ("avg_pool2d_k3_s2_7x9",                (3, 7, 9), 3, 2, 0, False, True),
        ("avg_pool2d_k3_s1_p1_incl",            (2, 6, 7), 3, 1, 1, False, True),
        ("avg_pool2d_k3_s1_p1_excl",            (2, 6, 7), 3, 1, 1, False, False),
        ("avg_pool2d_k3_s2_p1_incl",            (3, 7, 9), 3, 2, 1, False, True),
        ("avg_pool2d_k3_s2_p1_excl",            (3, 7, 9), 3, 2, 1, False, False),
        ("avg_pool2d_k2x3_s1x2",                (2, 7, 9), (2, 3), (1, 2), 0, False, True),
        ("avg_pool2d_k2_s3_stride_gt_kernel",   (2, 8, 9), 2, 3, 0, False, True),
        ("avg_pool2d_k2_ceil_7x9",              (3, 7, 9), 2, None, 0, True, True),
        ("avg_pool2d_k3_s2_ceil_8x8",           (2, 8, 8), 3, 2, 0, True, True),
        ("avg_pool2d_k3_s2_p1_ceil_8x8_incl",   (2, 8, 8), 3, 2, 1, True, True),
        ("avg_pool2d_k3_s2_p1_ceil_8x8_excl",   (2, 8, 8), 3, 2, 1, True, False),
        ("avg_pool2d_k2_s2_p1_ceil_5x7_incl",   (2, 5, 7), 2, 2, 1, True, True),
        ("avg_pool2d_k3_s3_p1_ceil_6x7_incl",   (2, 6, 7), 3, 3, 1, True, True),
        ("avg_pool2d_k3_s3_p1_ceil_6x7_excl",   (2, 6, 7), 3, 3, 1, True, False),
        ("avg_pool2d_k3_s2_p1x0_excl",          (2, 7, 8), 3, 2, (1, 0), False, False),
    ]
    cases = []
    for name, (c, h, w), kernel, stride, padding, ceil_mode, include_pad in specs:
        seed_for(name)
        inputs = {"x": torch.randn(2, c, h, w)}
        args = {"kernelSize": pair(kernel)}
        if stride is not None:
            args["stride"] = pair(stride)
        args.update({"padding": pair(padding), "ceilMode": ceil_mode,
                     "countIncludePad": include_pad})

        def fn(x, kernel=kernel, stride=stride, padding=padding,
               ceil_mode=ceil_mode, include_pad=include_pad):
            return F.avg_pool2d(x, kernel, stride=stride, padding=padding,
                                ceil_mode=ceil_mode, count_include_pad=include_pad)

        cases.append(record(name, "avgPool2d", fn, inputs, args))
    return cases


# --------------------------------------------------------------------------
# 4. losses
# --------------------------------------------------------------------------

REDUCTIONS = ("mean", "sum", "none")


def loss_cases():
    cases = []

    for reduction in REDUCTIONS:
        for shape in ((4, 3), (2, 3, 2, 2)):
            name = f"mse_loss_{'x'.join(map(str, shape))}_{reduction}"
            seed_for(name)
            inputs = {"x": torch.randn(shape), "target": torch.randn(shape)}
            cases.append(record(
                name, "mseLoss",
                lambda x, target, r=reduction: F.mse_loss(x, target, reduction=r),
                inputs, {"reduction": reduction}))

    for reduction in REDUCTIONS:
        name = f"cross_entropy_2d_{reduction}"
        seed_for(name)
        inputs = {"x": torch.randn(5, 4) * 2, "target": torch.randint(0, 4, (5,))}
        cases.append(record(
            name, "crossEntropy",
            lambda x, target, r=reduction: F.cross_entropy(x, target, reduction=r),
            inputs, {"reduction": reduction}, grad_inputs={"x"}))

    for reduction in REDUCTIONS:
        name = f"cross_entropy_4d_{reduction}"
        seed_for(name)
        inputs = {"x": torch.randn(2, 3, 4, 5), "target": torch.randint(0, 3, (2, 4, 5))}
        cases.append(record(
            name, "crossEntropy",
            lambda x, target, r=reduction: F.cross_entropy(x, target, reduction=r),
            inputs, {"reduction": reduction}, grad_inputs={"x"}))

    for reduction in REDUCTIONS:
        name = f"nll_loss_{reduction}"
        seed_for(name)
        inputs = {"x": F.log_softmax(torch.randn(5, 4) * 2, dim=1),
                  "target": torch.randint(0, 4, (5,))}
        cases.append(record(
            name, "nllLoss",
            lambda x, target, r=reduction: F.nll_loss(x, target, reduction=r),
            inputs, {"reduction": reduction}, grad_inputs={"x"}))

    for reduction in REDUCTIONS:
        name = f"binary_cross_entropy_{reduction}"
        seed_for(name)
        inputs = {"x": torch.rand(4, 3) * 0.9 + 0.05,
                  "target": torch.randint(0, 2, (4, 3)).to(torch.float64)}
        cases.append(record(
            name, "binaryCrossEntropy",
            lambda x, target, r=reduction: F.binary_cross_entropy(x, target, reduction=r),
            inputs, {"reduction": reduction}, grad_inputs={"x"}))

    for reduction in REDUCTIONS:
        name = f"binary_cross_entropy_with_logits_{reduction}"
        seed_for(name)
        inputs = {"x": torch.randn(4, 3) * 3,
                  "target": torch.randint(0, 2, (4, 3)).to(torch.float64)}
        cases.append(record(
            name, "binaryCrossEntropyWithLogits",
            lambda x, target, r=reduction:
                F.binary_cross_entropy_with_logits(x, target, reduction=r),
            inputs, {"reduction": reduction}, grad_inputs={"x"}))

    # Large logits: a naive log(sigmoid(x)) would overflow / lose precision.
    name = "binary_cross_entropy_with_logits_large_logits_mean"
    seed_for(name)
    inputs = {"x": torch.tensor([[-60.0, -20.0, 0.5], [30.0, 45.0, -0.25]]),
              "target": torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])}
    cases.append(record(
        name, "binaryCrossEntropyWithLogits",
        lambda x, target: F.binary_cross_entropy_with_logits(x, target, reduction="mean"),
        inputs, {"reduction": "mean"}, grad_inputs={"x"}))

    return cases


# --------------------------------------------------------------------------
# 5. elementwise ops, reductions, shape ops
# --------------------------------------------------------------------------

def op_cases():
    cases = []

    def add(name, op, fn, make_inputs, args=None, grad_inputs=None):
        seed_for(name)
        cases.append(record(name, op, fn, make_inputs(), args, grad_inputs))

    # Binary elementwise ops with broadcasting.
    def nonzero(*shape):
        magnitude = torch.rand(shape) * 1.5 + 0.5
        return torch.where(torch.rand(shape) < 0.5, -magnitude, magnitude)

    binary = [
        ("add", torch.add, torch.randn),
        ("sub", torch.sub, torch.randn),
        ("mul", torch.mul, torch.randn),
        ("div", torch.div, nonzero),
        ("maximum", torch.maximum, torch.randn),
        ("minimum", torch.minimum, torch.randn),
    ]
    for op, fn, make_b in binary:
        for b_shape in ((2, 3, 4), (3, 1), (4,)):
            suffix = "same" if b_shape == (2, 3, 4) else "x".join(map(str, b_shape))
            add(f"{op}_2x3x4_{suffix}", op, lambda a, b, fn=fn: fn(a, b),
                lambda b_shape=b_shape, make_b=make_b:
                    {"a": torch.randn(2, 3, 4), "b": make_b(*b_shape)})
    # Broadcasting on both sides: [3,1] op [1,4] -> [3,4].
    add("mul_3x1_1x4", "mul", lambda a, b: a * b,
        lambda: {"a": torch.randn(3, 1), "b": torch.randn(1, 4)})

    add("pow_tensor_exponent", "pow", lambda a, b: torch.pow(a, b),
        lambda: {"a": torch.rand(2, 3, 4) * 1.5 + 0.5, "b": torch.randn(3, 1)})
    add("pow_scalar_2_5", "pow", lambda x: torch.pow(x, 2.5),
        lambda: {"x": torch.rand(2, 3, 4) * 1.5 + 0.5}, {"exponent": 2.5})

    # Unary elementwise ops.
    positive = lambda: {"x": torch.rand(2, 3, 4) * 2 + 0.1}
    normal = lambda: {"x": torch.randn(2, 3, 4)}
    away_from_zero = lambda: {"x": away_from(torch.randn(2, 3, 4), [0.0], 0.05)}
    add("exp", "exp", lambda x: torch.exp(x), normal)
    add("log", "log", lambda x: torch.log(x), positive)
    add("sqrt", "sqrt", lambda x: torch.sqrt(x), positive)
    add("abs", "abs", lambda x: torch.abs(x), away_from_zero)
    add("clamp_min_-0.5_max_0.5", "clamp", lambda x: torch.clamp(x, min=-0.5, max=0.5),
        lambda: {"x": away_from(torch.randn(2, 3, 4), [-0.5, 0.5], 0.05)},
        {"min": -0.5, "max": 0.5})
    add("sigmoid", "sigmoid", lambda x: torch.sigmoid(x), normal)
    add("tanh", "tanh", lambda x: torch.tanh(x), normal)
    add("relu", "relu", lambda x: F.relu(x), away_from_zero)
    add("leaky_relu_0.1", "leakyRelu", lambda x: F.leaky_relu(x, negative_slope=0.1),
        away_from_zero, {"negativeSlope": 0.1})

    # Softmax family.
    add("softmax_dim1", "softmax", lambda x: F.softmax(x, dim=1), normal, {"dim": 1})
    add("log_softmax_dim-1", "logSoftmax", lambda x: F.log_softmax(x, dim=-1),
        normal, {"dim": -1})
    for keepdim in (False, True):
        add(f"logsumexp_dim1_keepdim_{str(keepdim).lower()}", "logsumexp",
            lambda x, k=keepdim: torch.logsumexp(x, dim=1, keepdim=k),
            normal, {"dim": 1, "keepdim": keepdim})

    # Reductions.
    for op, fn in (("sum", torch.sum), ("mean", torch.mean)):
        add(f"{op}_dim0_2", op, lambda x, fn=fn: fn(x, dim=[0, 2], keepdim=False),
            normal, {"dim": [0, 2], "keepdim": False})
        add(f"{op}_dim0_2_keepdim", op, lambda x, fn=fn: fn(x, dim=[0, 2], keepdim=True),
            normal, {"dim": [0, 2], "keepdim": True})
        add(f"{op}_dim-1", op, lambda x, fn=fn: fn(x, dim=-1),
            normal, {"dim": -1, "keepdim": False})
        add(f"{op}_all", op, lambda x, fn=fn: fn(x), normal, {})
    for op, fn in (("max", torch.max), ("min", torch.min)):
        for keepdim in (False, True):
            add(f"{op}_dim1_keepdim_{str(keepdim).lower()}", op,
                lambda x, fn=fn, k=keepdim: fn(x, dim=1, keepdim=k).values,
                lambda: {"x": distinct(2, 5, 3)}, {"dim": 1, "keepdim": keepdim})

    # matmul.
    for a_shape, b_shape in (((3, 4), (4, 5)), ((2, 3, 4), (4, 5)),
                             ((2, 1, 3, 4), (3, 4, 2)), ((4,), (4, 5)),
                             ((3, 4), (4,)), ((4,), (4,)), ((2, 3, 4), (2, 4, 5))):
        name = "matmul_" + "x".join(map(str, a_shape)) + "_" + "x".join(map(str, b_shape))
        add(name, "matmul", lambda a, b: torch.matmul(a, b),
            lambda a_shape=a_shape, b_shape=b_shape:
                {"a": torch.randn(a_shape), "b": torch.randn(b_shape)})

    # Selection and indexing.
    add("where_broadcast", "where", lambda cond, a, b: torch.where(cond, a, b),
        lambda: {"cond": torch.rand(2, 3, 4) < 0.5,
                 "a": torch.randn(2, 3, 4), "b": torch.randn(4)})
    add("gather_dim1", "gather", lambda x, index: torch.gather(x, 1, index),
        lambda: {"x": torch.randn(3, 4), "index": torch.randint(0, 4, (3, 5))},
        {"dim": 1})
    add("index_select_dim0", "indexSelect",
        lambda x, index: torch.index_select(x, 0, index),
        lambda: {"x": torch.randn(4, 3), "index": torch.tensor([2, 0, 2, 3, 1])},
        {"dim": 0})

    # Shape ops.
    add("cat_dim1", "cat", lambda a, b: torch.cat([a, b], dim=1),
        lambda: {"a": torch.randn(2, 3, 4), "b": torch.randn(2, 2, 4)}, {"dim": 1})
    add("stack_dim0", "stack", lambda a, b: torch.stack([a, b], dim=0),
        lambda: {"a": torch.randn(3, 4), "b": torch.randn(3, 4)}, {"dim": 0})
    add("stack_dim2", "stack", lambda a, b: torch.stack([a, b], dim=2),
        lambda: {"a": torch.randn(3, 4), "b": torch.randn(3, 4)}, {"dim": 2})
    add("transpose_0_2", "transpose", lambda x: torch.transpose(x, 0, 2),
        normal, {"dim0": 0, "dim1": 2})
    add("permute_2_0_1", "permute", lambda x: x.permute(2, 0, 1),
        normal, {"dims": [2, 0, 1]})
    add("expand_3x1_to_2x3x4", "expand", lambda x: x.expand(2, 3, 4),
        lambda: {"x": torch.randn(3, 1)}, {"size": [2, 3, 4]})
    add("narrow_dim1_start1_len2", "narrow", lambda x: torch.narrow(x, 1, 1, 2),
        normal, {"dim": 1, "start": 1, "length": 2})
    add("pad_1_2_0_1_value_0.5", "pad",
        lambda x: F.pad(x, (1, 2, 0, 1), mode="constant", value=0.5),
        normal, {"pad": [1, 2, 0, 1], "value": 0.5})

    return cases


# --------------------------------------------------------------------------
# 6. SGD trajectories
# --------------------------------------------------------------------------

SGD_STEPS = 20


def sgd_cases():
    # Same model, data and initial parameters for every option set.
    seed_for("sgd_model")
    model = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2)).double()
    initial = {k: quantize(v.detach()) for k, v in model.state_dict().items()}
    x = quantize(torch.randn(5, 4))
    y = quantize(torch.randn(5, 2))

    option_sets = [
        ("sgd_plain", dict(lr=0.1)),
        ("sgd_momentum", dict(lr=0.1, momentum=0.9)),
        ("sgd_momentum_dampening", dict(lr=0.1, momentum=0.9, dampening=0.1)),
        ("sgd_nesterov", dict(lr=0.1, momentum=0.9, nesterov=True)),
        ("sgd_momentum_weight_decay", dict(lr=0.1, momentum=0.9, weight_decay=0.01)),
    ]
    cases = []
    for name, options in option_sets:
        model.load_state_dict(initial)
        opt = torch.optim.SGD(model.parameters(), **options)
        defaults = opt.defaults
        steps = []
        for _ in range(SGD_STEPS):
            opt.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            opt.step()
            steps.append({
                "loss": round_number(loss.item()),  # loss before this step's update
                "params": {k: tensor_json(v) for k, v in model.state_dict().items()},
            })
        cases.append({
            "name": name,
            "options": {
                "lr": defaults["lr"],
                "momentum": defaults["momentum"],
                "dampening": defaults["dampening"],
                "weightDecay": defaults["weight_decay"],
                "nesterov": defaults["nesterov"],
            },
            "input": tensor_json(x),
            "target": tensor_json(y),
            "initial": {k: tensor_json(v) for k, v in initial.items()},
            "steps": steps,
        })
    return cases


# --------------------------------------------------------------------------

def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    print(f"torch {torch.__version__}, writing to {OUT_DIR}")
    write_fixture("linear.json", linear_cases())
    write_fixture("conv2d.json", conv2d_cases())
    write_fixture("pool2d.json", max_pool2d_cases() + avg_pool2d_cases())
    write_fixture("losses.json", loss_cases())
    write_fixture("ops.json", op_cases())
    write_fixture("sgd.json", sgd_cases())


if __name__ == "__main__":
    main()
