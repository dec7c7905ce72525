#!/usr/bin/env python3
"""PyTorch reference fixtures for Tessera's normalization layers (test/fixtures/norm.json).

Usage (from the repository root):  python3 tools/fixtures_norm.py

Each case runs one PyTorch module in float64 -- BatchNorm1d/2d/3d, LayerNorm, GroupNorm or
LocalResponseNorm -- with the recorded parameters and buffers, in training or evaluation mode,
then back-propagates sum(output * gradOutput). A case holds (format of test/fixtures/README.md):

  op        "batchNorm" | "layerNorm" | "groupNorm" | "localResponseNorm"
  args      the module's constructor arguments in camelCase (momentum may be null), plus
            "module" (the class name) and "training" (the mode of the forward pass)
  inputs    x, and weight / bias / runningMean / runningVar / numBatchesTracked (int64) as the
            module held them before the forward pass
  output, gradOutput, grads (x, weight, bias)
  buffersAfter  (batch norm with running statistics) runningMean, runningVar and
                numBatchesTracked after the forward pass

Inputs reuse make_fixtures.py's conventions: quantized to multiples of 0.001, outputs rounded
to 12 significant digits, every case seeded from a hash of its name.
"""

import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402

mf.GENERATOR = "tools/fixtures_norm.py"
torch.set_default_dtype(torch.float64)


def run_module(name, op, module, args, x, training, extra_state=None):
    """Load quantized parameters/buffers into `module`, run it on x, record everything."""
    module = module.double()
    state = {}
    with torch.no_grad():
        for key in ("weight", "bias"):
            p = getattr(module, key, None)
            if p is not None:
                p.copy_(mf.quantize(torch.randn(p.shape) * 0.5 + (1.0 if key == "weight" else 0.0)))
                state[key] = p.detach().clone()
        if getattr(module, "running_mean", None) is not None:
            module.running_mean.copy_(mf.quantize(torch.randn(module.running_mean.shape) * 0.5))
            module.running_var.copy_(mf.quantize(torch.rand(module.running_var.shape) + 0.5))
            module.num_batches_tracked.fill_((extra_state or {}).get("numBatchesTracked", 3))
            state["runningMean"] = module.running_mean.clone()
            state["runningVar"] = module.running_var.clone()
            state["numBatchesTracked"] = module.num_batches_tracked.clone()
    module.train(training)
    leaf = mf.quantize(x.detach()).requires_grad_(True)
    output = module(leaf)
    grad_output = mf.quantize(torch.randn_like(output))
    output.backward(grad_output)

    case = {"name": name, "op": op, "args": dict(args, module=type(module).__name__, training=training)}
    case["inputs"] = {"x": mf.tensor_json(leaf), **{k: mf.tensor_json(v) for k, v in state.items()}}
    case["output"] = mf.tensor_json(output)
    case["gradOutput"] = mf.tensor_json(grad_output)
    grads = {"x": mf.tensor_json(leaf.grad)}
    for key in ("weight", "bias"):
        p = getattr(module, key, None)
        if p is not None and p.grad is not None:
            grads[key] = mf.tensor_json(p.grad)
    case["grads"] = grads
    if getattr(module, "running_mean", None) is not None:
        case["buffersAfter"] = {
            "runningMean": mf.tensor_json(module.running_mean),
            "runningVar": mf.tensor_json(module.running_var),
            "numBatchesTracked": mf.tensor_json(module.num_batches_tracked),
        }
    return case


def batch_norm_cases():
    classes = {1: nn.BatchNorm1d, 2: nn.BatchNorm2d, 3: nn.BatchNorm3d}
    # name, dims (1/2/3), x shape, training, eps, momentum, affine, track, numBatchesTracked
    specs = [
        ("bn1d_nc_train",             1, (5, 3),          True,  1e-5, 0.1,  True,  True,  3),
        ("bn1d_ncl_train",            1, (4, 3, 7),       True,  1e-5, 0.1,  True,  True,  3),
        ("bn1d_nc_min_batch_train",   1, (2, 3),          True,  1e-5, 0.1,  True,  True,  0),
        ("bn1d_c1_train",             1, (7, 1),          True,  1e-5, 0.1,  True,  True,  3),
        ("bn1d_nc_eval",              1, (6, 4),          False, 1e-5, 0.1,  True,  True,  3),
        ("bn1d_ncl_eval_noaffine",    1, (3, 2, 5),       False, 1e-5, 0.1,  False, True,  3),
        ("bn1d_momentum_none_train",  1, (6, 3, 2),       True,  1e-5, None, True,  True,  4),
        ("bn1d_notrack_train",        1, (3, 2, 5),       True,  1e-5, 0.1,  True,  False, 0),
        ("bn1d_notrack_eval",         1, (3, 2, 5),       False, 1e-5, 0.1,  True,  False, 0),
        ("bn2d_train",                2, (2, 3, 5, 7),    True,  1e-5, 0.1,  True,  True,  3),
        ("bn2d_train_noaffine_eps",   2, (3, 2, 3, 3),    True,  1e-3, 0.3,  False, True,  3),
        ("bn2d_eval",                 2, (2, 3, 4, 5),    False, 1e-5, 0.1,  True,  True,  3),
        ("bn2d_eval_noaffine",        2, (2, 2, 3, 1),    False, 1e-5, 0.1,  False, True,  3),
        ("bn2d_c1_odd_train",         2, (3, 1, 5, 3),    True,  1e-5, 0.1,  True,  True,  3),
        ("bn2d_n1_train",             2, (1, 2, 3, 3),    True,  1e-5, 0.1,  True,  True,  3),
        ("bn2d_momentum_none_first",  2, (2, 3, 2, 3),    True,  1e-5, None, True,  True,  0),
        ("bn2d_notrack_eval",         2, (2, 3, 3, 2),    False, 1e-5, 0.1,  False, False, 0),
        ("bn3d_train",                3, (2, 2, 3, 2, 3), True,  1e-5, 0.1,  True,  True,  3),
    ]
    cases = []
    for name, dims, shape, training, eps, momentum, affine, track, nbt in specs:
        mf.seed_for(name)
        c = shape[1]
        module = classes[dims](c, eps=eps, momentum=momentum, affine=affine, track_running_stats=track)
        # Per-channel offsets and scales, so the statistics differ between channels.
        x = torch.randn(shape) * (1.5 + torch.arange(c).reshape([1, c] + [1] * (len(shape) - 2))) + 0.7
        args = {"numFeatures": c, "eps": eps, "momentum": momentum, "affine": affine, "trackRunningStats": track}
        cases.append(run_module(name, "batchNorm", module, args, x, training, {"numBatchesTracked": nbt}))
    return cases


def layer_norm_cases():
    # name, x shape, normalized_shape, eps, elementwise_affine
    specs = [
        ("ln_last_dim",       (4, 5),        [5],    1e-5, True),
        ("ln_two_dims",       (2, 3, 4),     [3, 4], 1e-5, True),
        ("ln_noaffine",       (3, 7),        [7],    1e-5, False),
        ("ln_4d_eps",         (2, 3, 4, 5),  [4, 5], 1e-3, True),
        ("ln_whole_tensor",   (2, 3),        [2, 3], 1e-5, True),
        ("ln_size1",          (3, 1),        [1],    1e-5, True),
        ("ln_single_row",     (1, 1, 6),     [6],    1e-5, True),
    ]
    cases = []
    for name, shape, ns, eps, affine in specs:
        mf.seed_for(name)
        module = nn.LayerNorm(ns, eps=eps, elementwise_affine=affine)
        x = torch.randn(shape) * 2 + 0.5
        args = {"normalizedShape": ns, "eps": eps, "elementwiseAffine": affine}
        cases.append(run_module(name, "layerNorm", module, args, x, True))
    return cases


def group_norm_cases():
    # name, x shape, groups, eps, affine
    specs = [
        ("gn_4d_g3",          (2, 6, 4, 3),  3, 1e-5, True),
        ("gn_one_group",      (2, 4, 5),     1, 1e-5, True),
        ("gn_instance",       (3, 4, 2, 2),  4, 1e-5, True),
        ("gn_noaffine",       (2, 6, 5),     2, 1e-5, False),
        ("gn_2d_input",       (4, 6),        3, 1e-5, True),
        ("gn_c1",             (3, 1, 4, 4),  1, 1e-5, True),
        ("gn_odd_eps",        (1, 9, 3, 5),  3, 1e-2, True),
    ]
    cases = []
    for name, shape, groups, eps, affine in specs:
        mf.seed_for(name)
        module = nn.GroupNorm(groups, shape[1], eps=eps, affine=affine)
        x = torch.randn(shape) * 2 - 0.3
        args = {"numGroups": groups, "numChannels": shape[1], "eps": eps, "affine": affine}
        cases.append(run_module(name, "groupNorm", module, args, x, True))
    return cases


def lrn_cases():
    # name, x shape, size, alpha, beta, k
    specs = [
        ("lrn_defaults_size5",  (2, 7, 3, 3),     5, 1e-4, 0.75, 1.0),
        ("lrn_large_alpha",     (2, 7, 3, 3),     5, 0.5,  0.75, 1.0),
        ("lrn_even_size_3d",    (2, 4, 5),        2, 0.3,  0.75, 1.0),
        ("lrn_size1",           (1, 3, 2, 2),     1, 0.2,  0.75, 1.0),
        ("lrn_alpha_beta_k",    (2, 5, 3, 4),     3, 0.5,  0.6,  2.0),
        ("lrn_c1",              (2, 1, 4, 4),     5, 0.4,  0.75, 1.0),
        ("lrn_size_above_c",    (2, 3, 5),        7, 0.6,  0.9,  1.5),
        ("lrn_5d",              (2, 4, 2, 3, 2),  3, 0.1,  0.75, 1.0),
    ]
    cases = []
    for name, shape, size, alpha, beta, k in specs:
        mf.seed_for(name)
        module = nn.LocalResponseNorm(size, alpha=alpha, beta=beta, k=k)
        x = torch.randn(shape) * 1.5
        args = {"size": size, "alpha": alpha, "beta": beta, "k": k}
        cases.append(run_module(name, "localResponseNorm", module, args, x, True))
    return cases


def main():
    mf.write_fixture("norm.json", batch_norm_cases() + layer_norm_cases() + group_norm_cases() + lrn_cases())


if __name__ == "__main__":
    main()
