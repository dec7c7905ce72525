#!/usr/bin/env python3
"""PyTorch reference fixtures for Tessera's pooling layers (test/fixtures/pool.json).

Usage (from the repository root):

    python3 tools/fixtures_pool.py

Covers 1-D / 3-D max and average pooling, return_indices of 1-D / 2-D / 3-D max pooling,
divisor_override of 2-D / 3-D average pooling, LP pooling, adaptive average / max pooling and
max unpooling, over a grid of the awkward cases: odd sizes, stride > kernel, dilation > 1,
padding, ceil_mode true / false (including the rule that drops a last window starting in the
right padding), count_include_pad, adaptive sizes that do not divide the input (and exceed it).

Same format and conventions as tools/make_fixtures.py (whose helpers this script reuses):
float64, inputs quantized to multiples of 0.001, each case seeded from its name. A case of a
max pooling with indices adds "indices" (int64) next to "output". See test/fixtures/README.md.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402  (record, write_fixture, tensor_json, seed_for, distinct)

mf.GENERATOR = "tools/fixtures_pool.py"
torch.set_default_dtype(torch.float64)


def listify(v):
    return list(v) if isinstance(v, (tuple, list)) else v


def window_args(kernel, stride, padding=None, dilation=None, ceil_mode=None, **extra):
    args = {"kernelSize": listify(kernel)}
    if stride is not None:
        args["stride"] = listify(stride)
    if padding is not None:
        args["padding"] = listify(padding)
    if dilation is not None:
        args["dilation"] = listify(dilation)
    if ceil_mode is not None:
        args["ceilMode"] = ceil_mode
    args.update(extra)
    return args


def record_with_indices(name, op, pool_fn, x, args):
    """Record a max pooling given pool_fn(x) -> (out, indices); the indices go in case["indices"]."""
    box = {}

    def fn(x):
        out, idx = pool_fn(x)
        box["indices"] = idx
        return out

    case = mf.record(name, op, fn, {"x": x}, args)
    case["indices"] = mf.tensor_json(box["indices"])
    return case


# --------------------------------------------------------------------------
# 1-D max / average pooling
# --------------------------------------------------------------------------

def max_pool1d_cases():
    # (name, x shape, kernel, stride, padding, dilation, ceil_mode)
    specs = [
        ("max_pool1d_k3_s1_L5_lecture",        (2, 3, 5),  3, 1, 0, 1, False),
        ("max_pool1d_k3_s2_L5_lecture",        (2, 3, 5),  3, 2, 0, 1, False),
        ("max_pool1d_k2_L7_default_stride",    (2, 3, 7),  2, None, 0, 1, False),
        ("max_pool1d_k3_s2_p1_L9",             (2, 2, 9),  3, 2, 1, 1, False),
        ("max_pool1d_k2_s3_stride_gt_kernel",  (2, 2, 10), 2, 3, 0, 1, False),
        ("max_pool1d_k3_d2_L11",               (2, 2, 11), 3, 1, 0, 2, False),
        ("max_pool1d_k3_s2_p1_d2_ceil_L10",    (2, 2, 10), 3, 2, 1, 2, True),
        ("max_pool1d_k2_ceil_L7",              (2, 2, 7),  2, None, 0, 1, True),
        ("max_pool1d_k3_s3_p1_ceil_L8_drop",   (2, 2, 8),  3, 3, 1, 1, True),
        ("max_pool1d_k4_s2_p2_L9",             (2, 2, 9),  4, 2, 2, 1, False),
        ("max_pool1d_unbatched_k3_s2_p1",      (3, 8),     3, 2, 1, 1, False),
    ]
    cases = []
    for name, shape, k, s, p, d, ceil in specs:
        mf.seed_for(name)
        x = mf.distinct(*shape, scale=0.05)
        args = window_args(k, s, p, d, ceil)
        cases.append(record_with_indices(
            name, "maxPool1d",
            lambda x, k=k, s=s, p=p, d=d, ceil=ceil: F.max_pool1d(
                x, k, stride=s, padding=p, dilation=d, ceil_mode=ceil, return_indices=True),
            x, args))
    return cases


def avg_pool1d_cases():
    # (name, x shape, kernel, stride, padding, ceil_mode, count_include_pad)
    specs = [
        ("avg_pool1d_k3_s1_L5",                (2, 3, 5),  3, 1, 0, False, True),
        ("avg_pool1d_k2_L7",                   (2, 3, 7),  2, None, 0, False, True),
        ("avg_pool1d_k3_s2_p1_incl_L9",        (2, 2, 9),  3, 2, 1, False, True),
        ("avg_pool1d_k3_s2_p1_excl_L9",        (2, 2, 9),  3, 2, 1, False, False),
        ("avg_pool1d_k2_s3_stride_gt_kernel",  (2, 2, 10), 2, 3, 0, False, True),
        ("avg_pool1d_k3_s2_ceil_L8",           (2, 2, 8),  3, 2, 0, True, True),
        ("avg_pool1d_k3_s2_p1_ceil_incl_L8",   (2, 2, 8),  3, 2, 1, True, True),
        ("avg_pool1d_k3_s2_p1_ceil_excl_L8",   (2, 2, 8),  3, 2, 1, True, False),
        ("avg_pool1d_k3_s3_p1_ceil_L8_drop",   (2, 2, 8),  3, 3, 1, True, True),
        ("avg_pool1d_unbatched_k2_s1_p1_excl", (3, 6),     2, 1, 1, False, False),
    ]
    cases = []
    for name, shape, k, s, p, ceil, incl in specs:
        mf.seed_for(name)
        args = window_args(k, s, p, None, ceil, countIncludePad=incl)
        cases.append(mf.record(
            name, "avgPool1d",
            lambda x, k=k, s=s, p=p, ceil=ceil, incl=incl: F.avg_pool1d(
                x, k, stride=s, padding=p, ceil_mode=ceil, count_include_pad=incl),
            {"x": torch.randn(shape)}, args))
    return cases


# --------------------------------------------------------------------------
# 2-D: max pooling with indices, average pooling with divisor_override
# --------------------------------------------------------------------------

def max_pool2d_indices_cases():
    # (name, x shape, kernel, stride, padding, dilation, ceil_mode)
    specs = [
        ("max_pool2d_indices_k2_7x9",              (2, 2, 7, 9), 2, None, 0, 1, False),
        ("max_pool2d_indices_k3_s2_p1_ceil_8x8",   (2, 2, 8, 8), 3, 2, 1, 1, True),
        ("max_pool2d_indices_k3_s1_d2_7x9",        (1, 2, 7, 9), 3, 1, 0, 2, False),
        ("max_pool2d_indices_k2x3_s3x1_p1x1",      (2, 2, 6, 7), (2, 3), (3, 1), 1, 1, False),
        ("max_pool2d_indices_unbatched_k3_s2",     (3, 7, 6),    3, 2, 0, 1, False),
    ]
    cases = []
    for name, shape, k, s, p, d, ceil in specs:
        mf.seed_for(name)
        x = mf.distinct(*shape, scale=0.05)
        args = window_args(k, s, p, d, ceil)
        cases.append(record_with_indices(
            name, "maxPool2d",
            lambda x, k=k, s=s, p=p, d=d, ceil=ceil: F.max_pool2d(
                x, k, stride=s, padding=p, dilation=d, ceil_mode=ceil, return_indices=True),
            x, args))
    return cases


def avg_pool2d_divisor_cases():
    # (name, x shape, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
    specs = [
        ("avg_pool2d_divisor3_k2_7x9",                (2, 2, 7, 9), 2, None, 0, False, True, 3),
        ("avg_pool2d_divisor5_k3_s2_p1_ceil_8x8",     (2, 2, 8, 8), 3, 2, 1, True, True, 5),
        ("avg_pool2d_divisor2_k3_s2_p1_excl",         (2, 2, 7, 8), 3, 2, 1, False, False, 2),
        ("avg_pool2d_divisor_neg4_k2x3_s1x2",         (1, 2, 5, 7), (2, 3), (1, 2), 0, False, True, -4),
    ]
    cases = []
    for name, shape, k, s, p, ceil, incl, div in specs:
        mf.seed_for(name)
        args = window_args(k, s, p, None, ceil, countIncludePad=incl, divisorOverride=div)
        cases.append(mf.record(
            name, "avgPool2d",
            lambda x, k=k, s=s, p=p, ceil=ceil, incl=incl, div=div: F.avg_pool2d(
                x, k, stride=s, padding=p, ceil_mode=ceil, count_include_pad=incl, divisor_override=div),
            {"x": torch.randn(shape)}, args))
    return cases


# --------------------------------------------------------------------------
# 3-D max / average pooling
# --------------------------------------------------------------------------

def max_pool3d_cases():
    # (name, x shape, kernel, stride, padding, dilation, ceil_mode)
    specs = [
        ("max_pool3d_k2_3x5x7",                 (2, 2, 3, 5, 7), 2, None, 0, 1, False),
        ("max_pool3d_k3_s2_p1_5x6x7",           (1, 2, 5, 6, 7), 3, 2, 1, 1, False),
        ("max_pool3d_k2x3x2_s1x2x3",            (2, 1, 4, 7, 8), (2, 3, 2), (1, 2, 3), 0, 1, False),
        ("max_pool3d_k2_s3_stride_gt_kernel",   (1, 2, 7, 8, 7), 2, 3, 0, 1, False),
        ("max_pool3d_k3_d2_7x7x8",              (1, 2, 7, 7, 8), 3, 1, 0, 2, False),
        ("max_pool3d_k2_ceil_5x5x7",            (2, 1, 5, 5, 7), 2, None, 0, 1, True),
        ("max_pool3d_k3_s3_p1_ceil_drop",       (1, 2, 6, 7, 8), 3, 3, 1, 1, True),
        ("max_pool3d_k2_s2_p1_d2x1x2_ceil",     (1, 2, 5, 6, 7), 2, 2, 1, (2, 1, 2), True),
        ("max_pool3d_unbatched_k2_s1_p1x0x1",   (2, 3, 4, 5),    2, 1, (1, 0, 1), 1, False),
    ]
    cases = []
    for name, shape, k, s, p, d, ceil in specs:
        mf.seed_for(name)
        x = mf.distinct(*shape, scale=0.05)
        args = window_args(k, s, p, d, ceil)
        cases.append(record_with_indices(
            name, "maxPool3d",
            lambda x, k=k, s=s, p=p, d=d, ceil=ceil: F.max_pool3d(
                x, k, stride=s, padding=p, dilation=d, ceil_mode=ceil, return_indices=True),
            x, args))
    return cases


def avg_pool3d_cases():
    # (name, x shape, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
    specs = [
        ("avg_pool3d_k2_3x5x7",                 (2, 2, 3, 5, 7), 2, None, 0, False, True, None),
        ("avg_pool3d_k3_s2_p1_incl",            (1, 2, 5, 6, 7), 3, 2, 1, False, True, None),
        ("avg_pool3d_k3_s2_p1_excl",            (1, 2, 5, 6, 7), 3, 2, 1, False, False, None),
        ("avg_pool3d_k2x3x2_s1x2x3",            (2, 1, 4, 7, 8), (2, 3, 2), (1, 2, 3), 0, False, True, None),
        ("avg_pool3d_k2_s3_stride_gt_kernel",   (1, 2, 7, 8, 7), 2, 3, 0, False, True, None),
        ("avg_pool3d_k3_s2_ceil_incl",          (1, 2, 6, 6, 8), 3, 2, 1, True, True, None),
        ("avg_pool3d_k3_s2_ceil_excl",          (1, 2, 6, 6, 8), 3, 2, 1, True, False, None),
        ("avg_pool3d_k3_s3_p1_ceil_drop",       (1, 2, 6, 7, 8), 3, 3, 1, True, True, None),
        ("avg_pool3d_divisor7_k2_s2_p1_ceil",   (1, 2, 5, 5, 6), 2, 2, 1, True, True, 7),
        ("avg_pool3d_unbatched_k2_s1_p1_excl",  (2, 3, 4, 5),    2, 1, 1, False, False, None),
    ]
    cases = []
    for name, shape, k, s, p, ceil, incl, div in specs:
        mf.seed_for(name)
        extra = {"countIncludePad": incl}
        if div is not None:
            extra["divisorOverride"] = div
        args = window_args(k, s, p, None, ceil, **extra)
        cases.append(mf.record(
            name, "avgPool3d",
            lambda x, k=k, s=s, p=p, ceil=ceil, incl=incl, div=div: F.avg_pool3d(
                x, k, stride=s, padding=p, ceil_mode=ceil, count_include_pad=incl, divisor_override=div),
            {"x": torch.randn(shape)}, args))
    return cases


# --------------------------------------------------------------------------
# LP pooling
# --------------------------------------------------------------------------

def with_zero_window(x, axis_slices):
    """Zero a block so at least one pooling window sums to exactly 0 (the gradient-at-zero case)."""
    x = x.clone()
    x[axis_slices] = 0.0
    return x


def lp_pool_cases():
    cases = []
    # (name, x shape, p, kernel, stride, ceil_mode, positive inputs, zero block)
    specs1 = [
        ("lp_pool1d_p2_k3_s2_L9",          (2, 3, 9),  2.0, 3, 2, False, False, None),
        ("lp_pool1d_p1_k2_L7",             (2, 2, 7),  1.0, 2, None, False, False, None),
        ("lp_pool1d_p3_k3_ceil_L8",        (2, 2, 8),  3.0, 3, None, True, True, None),
        ("lp_pool1d_p1_5_k2_s3_L10",       (2, 2, 10), 1.5, 2, 3, False, True, None),
        ("lp_pool1d_p2_zero_window",       (1, 2, 8),  2.0, 2, None, False, False, (slice(None), 0, slice(2, 4))),
        ("lp_pool1d_unbatched_p2_k3_s1",   (3, 7),     2.0, 3, 1, False, False, None),
    ]
    for name, shape, p, k, s, ceil, positive, zero in specs1:
        mf.seed_for(name)
        x = torch.rand(shape) + 0.1 if positive else torch.randn(shape)
        if zero is not None:
            x = with_zero_window(x, zero)
        args = {"normType": p, **window_args(k, s, ceil_mode=ceil)}
        cases.append(mf.record(
            name, "lpPool1d",
            lambda x, p=p, k=k, s=s, ceil=ceil: F.lp_pool1d(x, p, k, stride=s, ceil_mode=ceil),
            {"x": x}, args))
    specs2 = [
        ("lp_pool2d_p2_k2_4x4",            (1, 2, 4, 4), 2.0, 2, None, False, False, None),
        ("lp_pool2d_p2_k3_s2_7x9",         (2, 2, 7, 9), 2.0, 3, 2, False, False, None),
        ("lp_pool2d_p3_k2x3_s1x2",         (2, 2, 5, 7), 3.0, (2, 3), (1, 2), False, True, None),
        ("lp_pool2d_p1_5_k3_s2_ceil_8x8",  (1, 2, 8, 8), 1.5, 3, 2, True, True, None),
        ("lp_pool2d_p1_k2_s3_7x8",         (1, 2, 7, 8), 1.0, 2, 3, False, False, None),
        ("lp_pool2d_p2_zero_window",       (1, 2, 4, 6), 2.0, 2, None, False, False, (slice(None), 1, slice(0, 2), slice(2, 4))),
    ]
    for name, shape, p, k, s, ceil, positive, zero in specs2:
        mf.seed_for(name)
        x = torch.rand(shape) + 0.1 if positive else torch.randn(shape)
        if zero is not None:
            x = with_zero_window(x, zero)
        args = {"normType": p, **window_args(k, s, ceil_mode=ceil)}
        cases.append(mf.record(
            name, "lpPool2d",
            lambda x, p=p, k=k, s=s, ceil=ceil: F.lp_pool2d(x, p, k, stride=s, ceil_mode=ceil),
            {"x": x}, args))
    return cases


# --------------------------------------------------------------------------
# Adaptive pooling
# --------------------------------------------------------------------------

def adaptive_cases():
    cases = []
    for name, shape, out in [
        ("adaptive_avg_pool1d_7_to_3",      (2, 3, 7), 3),
        ("adaptive_avg_pool1d_8_to_4",      (2, 2, 8), 4),
        ("adaptive_avg_pool1d_5_to_8",      (2, 2, 5), 8),
        ("adaptive_avg_pool1d_10_to_1",     (2, 2, 10), 1),
        ("adaptive_avg_pool1d_7_to_7",      (1, 2, 7), 7),
        ("adaptive_avg_pool1d_unbatched",   (3, 11), 4),
    ]:
        mf.seed_for(name)
        cases.append(mf.record(
            name, "adaptiveAvgPool1d", lambda x, out=out: F.adaptive_avg_pool1d(x, out),
            {"x": torch.randn(shape)}, {"outputSize": out}))
    for name, shape, out in [
        ("adaptive_avg_pool2d_7x9_to_3x4",       (2, 2, 7, 9), (3, 4)),
        ("adaptive_avg_pool2d_8x8_to_4",         (2, 2, 8, 8), 4),
        ("adaptive_avg_pool2d_6x7_to_1_global",  (2, 3, 6, 7), 1),
        ("adaptive_avg_pool2d_5x7_to_none_x3",   (2, 2, 5, 7), (None, 3)),
        ("adaptive_avg_pool2d_5x7_to_2_x_none",  (1, 2, 5, 7), (2, None)),
        ("adaptive_avg_pool2d_3x4_to_5x6_up",    (1, 2, 3, 4), (5, 6)),
        ("adaptive_avg_pool2d_8x9_to_4x4_mixed", (1, 2, 8, 9), (4, 4)),
        ("adaptive_avg_pool2d_unbatched_5x6_to_2x4", (3, 5, 6), (2, 4)),
    ]:
        mf.seed_for(name)
        cases.append(mf.record(
            name, "adaptiveAvgPool2d", lambda x, out=out: F.adaptive_avg_pool2d(x, out),
            {"x": torch.randn(shape)}, {"outputSize": listify(out)}))
    for name, shape, out in [
        ("adaptive_max_pool1d_7_to_3",      (2, 3, 7), 3),
        ("adaptive_max_pool1d_3_to_5_up",   (2, 2, 3), 5),
    ]:
        mf.seed_for(name)
        cases.append(record_with_indices(
            name, "adaptiveMaxPool1d",
            lambda x, out=out: F.adaptive_max_pool1d(x, out, return_indices=True),
            mf.distinct(*shape, scale=0.05), {"outputSize": out}))
    for name, shape, out in [
        ("adaptive_max_pool2d_7x9_to_3x4",       (2, 2, 7, 9), (3, 4)),
        ("adaptive_max_pool2d_8x8_to_2",         (2, 2, 8, 8), 2),
        ("adaptive_max_pool2d_5x7_to_none_x3",   (1, 2, 5, 7), (None, 3)),
        ("adaptive_max_pool2d_3x4_to_5x6_up",    (1, 2, 3, 4), (5, 6)),
        ("adaptive_max_pool2d_6x5_to_1_global",  (2, 2, 6, 5), 1),
        ("adaptive_max_pool2d_unbatched_7x5_to_3x2", (2, 7, 5), (3, 2)),
    ]:
        mf.seed_for(name)
        cases.append(record_with_indices(
            name, "adaptiveMaxPool2d",
            lambda x, out=out: F.adaptive_max_pool2d(x, out, return_indices=True),
            mf.distinct(*shape, scale=0.05), {"outputSize": listify(out)}))
    return cases


# --------------------------------------------------------------------------
# Max unpooling
# --------------------------------------------------------------------------

def max_unpool2d_cases():
    # (name, pooled-input shape, kernel, stride, padding, output_size or None)
    specs = [
        ("max_unpool2d_k2_6x8",                    (2, 2, 6, 8), 2, None, 0, None),
        ("max_unpool2d_k2_7x9_output_size",        (2, 2, 7, 9), 2, None, 0, [7, 9]),
        ("max_unpool2d_k3_s2_p1_overlap_7x9",      (1, 2, 7, 9), 3, 2, 1, [1, 2, 7, 9]),
        ("max_unpool2d_k2x3_s2x3_5x9",             (2, 1, 5, 9), (2, 3), (2, 3), 0, None),
        ("max_unpool2d_k3_s1_overlap_5x5",         (1, 2, 5, 5), 3, 1, 0, None),
        ("max_unpool2d_unbatched_k2_4x6",          (3, 4, 6),    2, None, 0, None),
    ]
    cases = []
    for name, shape, k, s, p, size in specs:
        mf.seed_for(name)
        source = mf.quantize(mf.distinct(*shape, scale=0.05))
        pooled, indices = F.max_pool2d(source, k, stride=s, padding=p, return_indices=True)
        args = window_args(k, s, p)
        if size is not None:
            args["outputSize"] = size
        cases.append(mf.record(
            name, "maxUnpool2d",
            lambda x, indices, k=k, s=s, p=p, size=size: F.max_unpool2d(
                x, indices, k, stride=s, padding=p, output_size=size),
            {"x": pooled, "indices": indices}, args))
    return cases


def main():
    cases = (max_pool1d_cases() + avg_pool1d_cases() + max_pool2d_indices_cases()
             + avg_pool2d_divisor_cases() + max_pool3d_cases() + avg_pool3d_cases()
             + lp_pool_cases() + adaptive_cases() + max_unpool2d_cases())
    mf.write_fixture("pool.json", cases)


if __name__ == "__main__":
    main()
