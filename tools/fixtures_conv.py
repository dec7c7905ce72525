#!/usr/bin/env python3
"""PyTorch reference fixtures for Tessera's convolution layers: test/fixtures/conv.json.

Usage (from the repository root):  /usr/bin/python3 tools/fixtures_conv.py

Ops recorded (float64, same format and seeding as tools/make_fixtures.py, whose helpers are
reused): conv1d, conv2d, conv3d over the padding forms (numbers, per dim, per side, {total},
"valid", "same" incl. TensorFlow's rule at stride > 1, "full") and padding modes (zeros,
reflect, replicate, circular); convTranspose1d / convTranspose2d with outputPadding; pad with
modes (F.pad); separableConv2d (depthwise conv2d, then a 1x1 conv2d).

The args are Tessera's (camelCase, Tessera's padding forms). Where PyTorch has the same form
natively (symmetric numbers, "valid", "same" at stride 1, padding_mode), the reference is
PyTorch's own call; the forms PyTorch lacks (per-side, {total}, "same" at stride > 1, "full",
per-side transposed padding) are resolved to (before, after) amounts here, independently of
the TypeScript, and run as F.pad + an unpadded convolution (or a crop of the transposed
result).
"""

import math
import os
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402

mf.GENERATOR = "tools/fixtures_conv.py"
torch.set_default_dtype(torch.float64)
warnings.filterwarnings("ignore", message="Using padding='same' with even kernel")

TORCH_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "replicate", "circular": "circular"}


def tup(v, n):
    return tuple(v) if isinstance(v, (list, tuple)) else (v,) * n


def resolve_padding(padding, kernel, stride, dilation, size):
    """(before, after) per spatial dim, per the rules documented in src/ops/conv-padding.ts."""
    n = len(kernel)
    span = [dilation[i] * (kernel[i] - 1) + 1 for i in range(n)]
    if padding == "valid":
        return [(0, 0)] * n
    if padding == "full":
        return [(span[i] - 1, span[i] - 1) for i in range(n)]
    if padding == "same":
        out = []
        for i in range(n):
            o = math.ceil(size[i] / stride[i])
            total = max(stride[i] * (o - 1) + span[i] - size[i], 0)
            out.append((total // 2, total - total // 2))
        return out
    if isinstance(padding, dict):
        total = tup(padding["total"], n)
        return [(p // 2, p - p // 2) for p in total]
    if isinstance(padding, int):
        return [(padding, padding)] * n
    if n == 1 and len(padding) == 2 and all(isinstance(p, int) for p in padding):
        return [tuple(padding)]
    return [(p, p) if isinstance(p, int) else tuple(p) for p in padding]


def torch_pad_list(pairs):
    """[(before, after)] in dim order -> F.pad's last-dim-first flat list."""
    flat = []
    for before, after in reversed(pairs):
        flat += [before, after]
    return flat


def native(padding, stride, dims):
    """PyTorch's own padding argument when it has this form, else None."""
    if isinstance(padding, int):
        return padding
    if padding == "valid":
        return "valid"
    if padding == "same" and all(s == 1 for s in stride):
        return "same"
    if isinstance(padding, list) and all(isinstance(p, int) for p in padding) and len(padding) == dims:
        return tuple(padding)
    return None


CONV = {1: (F.conv1d, nn.Conv1d), 2: (F.conv2d, nn.Conv2d), 3: (F.conv3d, nn.Conv3d)}


def conv_case(dims, name, cin, cout, size, kernel, stride=1, padding=0, dilation=1, groups=1,
              bias=True, mode="zeros", batch=2):
    kernel, stride_t, dilation_t = tup(kernel, dims), tup(stride, dims), tup(dilation, dims)
    mf.seed_for(name)
    inputs = {"x": torch.randn(batch, cin, *size), "weight": torch.randn(cout, cin // groups, *kernel) * 0.5}
    if bias:
        inputs["bias"] = torch.randn(cout)
    args = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    if mode != "zeros":
        args["paddingMode"] = mode
    functional, module = CONV[dims]
    nat = native(padding, stride_t, dims)

    def fn(x, weight, bias=None):
        if nat is not None:
            # PyTorch's own module logic for padding_mode (F.pad by the module's amounts, then conv).
            m = module(cin, cout, kernel, stride=stride_t, padding=nat, dilation=dilation_t, groups=groups,
                       bias=bias is not None, padding_mode=mode)
            return m._conv_forward(x, weight, bias)
        pairs = resolve_padding(padding, kernel, stride_t, dilation_t, list(x.shape[2:]))
        xp = F.pad(x, torch_pad_list(pairs), mode=TORCH_MODE[mode])
        return functional(xp, weight, bias, stride=stride_t, padding=0, dilation=dilation_t, groups=groups)

    return mf.record(name, f"conv{dims}d", fn, inputs, args)


def conv1d_cases():
    c = lambda *a, **k: conv_case(1, *a, **k)  # noqa: E731
    return [
        c("conv1d_k3_s1_p0_bias_L11", 2, 3, [11], 3),
        c("conv1d_k3_same_lecture_L6", 1, 1, [6], 3, padding="same"),
        c("conv1d_k4_same_even_L9", 2, 2, [9], 4, padding="same"),
        c("conv1d_k3_same_d2_L10", 2, 3, [10], 3, padding="same", dilation=2),
        c("conv1d_k3_full_L7", 2, 2, [7], 3, padding="full", bias=False),
        c("conv1d_k3_full_d2_s2_L8", 2, 2, [8], 3, padding="full", dilation=2, stride=2),
        c("conv1d_k2_s3_stride_gt_kernel_p1_L11", 2, 3, [11], 2, stride=3, padding=1),
        c("conv1d_k3_d3_p2_L13", 2, 2, [13], 3, dilation=3, padding=2),
        c("conv1d_k3_g2_s2_p1", 4, 6, [9], 3, stride=2, padding=1, groups=2),
        c("conv1d_k5_depthwise_x2_p2", 3, 6, [10], 5, padding=2, groups=3),
        c("conv1d_k3_asym_0_2_s2", 2, 2, [8], 3, stride=2, padding=[0, 2]),
        c("conv1d_k3_asym_nested_2_1", 2, 2, [7], 3, padding=[[2, 1]], bias=False),
        c("conv1d_k4_total3", 2, 2, [9], 4, padding={"total": 3}),
        c("conv1d_k4_same_tf_s2_L11", 2, 2, [11], 4, stride=2, padding="same"),
        c("conv1d_k3_same_tf_s3_L10", 2, 3, [10], 3, stride=3, padding="same"),
        c("conv1d_k2_same_tf_s3_L9_nopad", 1, 2, [9], 2, stride=3, padding="same"),
        c("conv1d_k3_valid_L5", 2, 2, [5], 3, padding="valid"),
        c("conv1d_k3_reflect_p2", 2, 2, [7], 3, padding=2, mode="reflect"),
        c("conv1d_k4_replicate_asym_1_3", 2, 3, [6], 4, padding=[[1, 3]], mode="replicate"),
        c("conv1d_k4_circular_same", 2, 2, [8], 4, padding="same", mode="circular"),
        c("conv1d_k3_reflect_same_tf_s2", 2, 2, [9], 3, stride=2, padding="same", mode="reflect"),
        c("conv1d_k3_circular_p3_L5", 1, 2, [5], 3, padding=3, mode="circular"),
    ]


def conv2d_cases():
    c = lambda *a, **k: conv_case(2, *a, **k)  # noqa: E731
    return [
        c("conv2d_odd_k3x5_s2x3_asym", 2, 3, [7, 9], [3, 5], stride=[2, 3], padding=[[1, 2], [0, 3]]),
        c("conv2d_k2_s3_stride_gt_kernel", 2, 2, [9, 11], 2, stride=3, padding=[1, 0]),
        c("conv2d_k3_s3_p1_uncovered", 1, 2, [7, 7], 3, stride=3, padding=1),
        c("conv2d_k3_same_d2x3", 2, 2, [7, 8], 3, padding="same", dilation=[2, 3]),
        c("conv2d_k3_g2_alexnet_towers_s2_p1", 4, 6, [7, 9], 3, stride=2, padding=1, groups=2),
        c("conv2d_k5_g2_s1_p2_nobias", 4, 4, [6, 7], 5, padding=2, groups=2, bias=False),
        c("conv2d_k3_depthwise_reflect_p1", 3, 3, [5, 6], 3, padding=1, groups=3, mode="reflect"),
        c("conv2d_k3_depthwise_x2_s2_same", 3, 6, [7, 8], 3, stride=2, padding="same", groups=3),
        c("conv2d_k2x3_full_d1x2", 2, 2, [5, 6], [2, 3], padding="full", dilation=[1, 2]),
        c("conv2d_k2x4_total_1_3", 2, 3, [6, 7], [2, 4], padding={"total": [1, 3]}),
        c("conv2d_k3_same_tf_s2_7x8", 2, 2, [7, 8], 3, stride=2, padding="same"),
        c("conv2d_k4x3_same_tf_s2x3_9x10", 2, 3, [9, 10], [4, 3], stride=[2, 3], padding="same", bias=False),
        c("conv2d_k3_valid_odd", 2, 2, [5, 7], 3, padding="valid"),
        c("conv2d_k3_reflect_p1x2", 2, 2, [5, 6], 3, padding=[1, 2], mode="reflect"),
        c("conv2d_k3_replicate_asym", 2, 3, [5, 6], 3, padding=[[2, 0], [1, 3]], mode="replicate"),
        c("conv2d_k4_circular_same", 2, 2, [6, 7], 4, padding="same", mode="circular"),
        c("conv2d_k3_circular_p1_s2", 2, 2, [7, 6], 3, padding=1, stride=2, mode="circular"),
        c("conv2d_k3_reflect_asym_g2_d2", 4, 2, [7, 8], 3, padding=[[2, 1], [0, 2]], groups=2, dilation=2, mode="reflect"),
        c("conv2d_k3_replicate_same_tf_s2", 2, 2, [8, 7], 3, stride=2, padding="same", mode="replicate"),
        c("conv2d_k1_pointwise", 4, 3, [5, 7], 1),
    ]


def conv3d_cases():
    c = lambda *a, **k: conv_case(3, *a, **k)  # noqa: E731
    return [
        c("conv3d_k2x3x3_s2x1x2_p1x0x1_d1x2x1_g2", 4, 6, [5, 6, 7], [2, 3, 3], stride=[2, 1, 2], padding=[1, 0, 1], dilation=[1, 2, 1], groups=2),
        c("conv3d_k3_same", 2, 2, [5, 4, 6], 3, padding="same"),
        c("conv3d_k3x1x2_asym_nobias", 2, 3, [4, 5, 5], [3, 1, 2], stride=[1, 2, 1], padding=[[1, 0], [0, 2], [1, 1]], bias=False),
        c("conv3d_depthwise_k1x3x3", 2, 4, [3, 5, 5], [1, 3, 3], padding=[0, 1, 1], groups=2),
        c("conv3d_k1x2x2_fastpath", 2, 3, [3, 4, 5], [1, 2, 2]),
        c("conv3d_k3_reflect_p1", 2, 2, [4, 5, 4], 3, padding=1, mode="reflect"),
        c("conv3d_k2_replicate_asym", 2, 2, [3, 4, 5], 2, padding=[[0, 1], 1, [2, 0]], mode="replicate"),
        c("conv3d_k3_circular_p1_s2", 2, 2, [5, 5, 6], 3, padding=1, stride=2, mode="circular"),
        c("conv3d_k2_full_d2x1x1", 1, 2, [3, 4, 4], 2, padding="full", dilation=[2, 1, 1]),
        c("conv3d_k3_same_tf_s2", 2, 2, [5, 6, 7], 3, stride=2, padding="same"),
        c("conv3d_k3_s3_stride_gt_depth_kernel", 1, 2, [7, 5, 5], [2, 3, 3], stride=[3, 1, 1], padding=[0, 1, 1]),
    ]


def conv_transpose_case(dims, name, cin, cout, size, kernel, stride=1, padding=0, output_padding=0,
                        groups=1, dilation=1, bias=True, batch=2):
    kernel, stride_t, dilation_t, op_t = tup(kernel, dims), tup(stride, dims), tup(dilation, dims), tup(output_padding, dims)
    mf.seed_for(name)
    inputs = {"x": torch.randn(batch, cin, *size), "weight": torch.randn(cin, cout // groups, *kernel) * 0.5}
    if bias:
        inputs["bias"] = torch.randn(cout)
    args = {"stride": stride, "padding": padding, "outputPadding": output_padding, "groups": groups, "dilation": dilation}
    functional = F.conv_transpose1d if dims == 1 else F.conv_transpose2d
    symmetric = isinstance(padding, int) or all(isinstance(p, int) for p in padding) and not (dims == 1 and len(padding) == 2)

    def fn(x, weight, bias=None):
        if symmetric:
            return functional(x, weight, bias, stride=stride_t, padding=tup(padding, dims), output_padding=op_t,
                              groups=groups, dilation=dilation_t)
        # Per-side padding crops the unpadded result: [before : full - after] per dim.
        y = functional(x, weight, bias, stride=stride_t, padding=0, output_padding=op_t, groups=groups, dilation=dilation_t)
        pairs = resolve_padding(padding, kernel, stride_t, dilation_t, None)
        for d, (before, after) in enumerate(pairs):
            y = y.narrow(2 + d, before, y.shape[2 + d] - before - after)
        return y

    return mf.record(name, f"convTranspose{dims}d", fn, inputs, args)


def conv_transpose_cases():
    t1 = lambda *a, **k: conv_transpose_case(1, *a, **k)  # noqa: E731
    t2 = lambda *a, **k: conv_transpose_case(2, *a, **k)  # noqa: E731
    return [
        t1("convT1d_k3_s2_p1_op1", 2, 3, [5], 3, stride=2, padding=1, output_padding=1),
        t1("convT1d_k4_s3_p2_op2_g2", 4, 2, [6], 4, stride=3, padding=2, output_padding=2, groups=2),
        t1("convT1d_k3_s1_d2_op1_beyond_reach", 2, 2, [5], 3, dilation=2, output_padding=1),
        t1("convT1d_k3_s2_asym_2_0", 2, 3, [6], 3, stride=2, padding=[2, 0], bias=False),
        t1("convT1d_k2_s1_p1", 3, 2, [7], 2, padding=1),
        t2("convT2d_k3_s2_p1_op1", 2, 3, [4, 5], 3, stride=2, padding=1, output_padding=1),
        t2("convT2d_k3x4_s2x3_p1x2_op1x2_nobias", 2, 2, [3, 4], [3, 4], stride=[2, 3], padding=[1, 2], output_padding=[1, 2], bias=False),
        t2("convT2d_k3_g2_s2_op1", 4, 6, [4, 3], 3, stride=2, output_padding=1, groups=2),
        t2("convT2d_k3_s1_d2_op1_beyond_reach", 2, 2, [4, 5], 3, dilation=2, output_padding=1),
        t2("convT2d_k3_s1_d2_p1_op1", 2, 3, [4, 4], 3, dilation=2, padding=1, output_padding=1),
        t2("convT2d_k2_s3_stride_gt_kernel_op2", 2, 2, [3, 4], 2, stride=3, output_padding=2),
        t2("convT2d_k3_depthwise_s2", 3, 3, [4, 5], 3, stride=2, padding=1, groups=3),
        t2("convT2d_k3_asym_pad", 2, 2, [4, 4], 3, stride=2, padding=[[1, 0], [0, 2]]),
        t2("convT2d_k2_s2_p2_large_pad", 2, 2, [5, 5], 2, stride=2, padding=2),
        t2("convT2d_k1_s2_op1", 3, 2, [3, 4], 1, stride=2, output_padding=1),
        t2("convT2d_k4_s2_p1_dcgan", 4, 2, [4, 4], 4, stride=2, padding=1),
    ]


def pad_cases():
    cases = []
    specs = [
        ("pad_reflect_3d", [2, 3, 7], [2, 3], "reflect"),
        ("pad_replicate_4d", [1, 2, 4, 5], [1, 2, 3, 0], "replicate"),
        ("pad_circular_4d", [1, 2, 4, 5], [2, 1, 0, 3], "circular"),
        ("pad_reflect_4d", [2, 1, 5, 4], [3, 0, 2, 4], "reflect"),
        ("pad_reflect_5d", [1, 2, 3, 4, 5], [1, 1, 2, 0, 1, 2], "reflect"),
        ("pad_replicate_5d", [1, 2, 3, 4, 5], [0, 2, 1, 1, 2, 0], "replicate"),
        ("pad_circular_5d", [1, 1, 3, 3, 4], [1, 2, 3, 0, 2, 1], "circular"),
        ("pad_circular_3d_full_wrap", [2, 2, 4], [4, 4], "circular"),
        ("pad_constant_value", [2, 3, 4], [1, 2, 0, 1], "constant"),
    ]
    for name, shape, pad, mode in specs:
        mf.seed_for(name)
        args = {"pad": pad, "mode": mode}
        if mode == "constant":
            args["value"] = 0.5
        cases.append(mf.record(name, "pad", lambda x, pad=pad, mode=mode: F.pad(x, pad, mode=mode, **({"value": 0.5} if mode == "constant" else {})),
                               {"x": torch.randn(*shape)}, args))
    return cases


def separable_cases():
    cases = []
    specs = [
        # (name, cin, cout, size, kernel, stride, padding, dilation, multiplier, bias)
        ("separable_k3_s2_p1_m2", 3, 4, [7, 8], 3, 2, 1, 1, 2, True),
        ("separable_k3x5_same_d2_nobias", 2, 3, [6, 7], [3, 5], 1, "same", 2, 1, False),
    ]
    for name, cin, cout, size, kernel, stride, padding, dilation, m, bias in specs:
        mf.seed_for(name)
        k = tup(kernel, 2)
        inputs = {"x": torch.randn(2, cin, *size), "dwWeight": torch.randn(cin * m, 1, *k) * 0.5}
        if bias:
            inputs["dwBias"] = torch.randn(cin * m)
        inputs["pwWeight"] = torch.randn(cout, cin * m, 1, 1) * 0.5
        if bias:
            inputs["pwBias"] = torch.randn(cout)
        args = {"stride": stride, "padding": padding, "dilation": dilation, "depthMultiplier": m, "bias": bias}

        def fn(x, dwWeight, pwWeight, dwBias=None, pwBias=None, stride=stride, padding=padding, dilation=dilation, cin=cin):
            h = F.conv2d(x, dwWeight, dwBias, stride=stride, padding=padding, dilation=dilation, groups=cin)
            return F.conv2d(h, pwWeight, pwBias)

        cases.append(mf.record(name, "separableConv2d", fn, inputs, args))
    return cases


def main():
    os.makedirs(mf.OUT_DIR, exist_ok=True)
    print(f"torch {torch.__version__}, writing to {mf.OUT_DIR}")
    mf.write_fixture("conv.json", conv1d_cases() + conv2d_cases() + conv3d_cases() + conv_transpose_cases() + pad_cases() + separable_cases())


if __name__ == "__main__":
    main()
