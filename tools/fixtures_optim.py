#!/usr/bin/env python3
"""PyTorch reference fixtures for Tessera's optimizers and gradient clipping (test/fixtures/optim.json).

Usage (from the repository root):

    python3 tools/fixtures_optim.py

Three kinds of case (field "kind"):

- "trajectory": 20 steps of torch.optim.{Adagrad, Adadelta, RMSprop, Adam, AdamW, Adamax, NAdam}
  on the same model and loss as sgd.json (Linear(4,3) -> Tanh -> Linear(3,2), MSE; its own
  initial values and data), one case per
  optimizer and option set. "optimizer" is the class name, "options" every hyper-parameter of
  the group in camelCase as Tessera's constructor takes it (PyTorch's defaults filled in), and
  "groups", when present, splits the parameters into groups with their own options. "steps"
  holds 20 x {loss (before the step), params (after it)}; "state" is the optimizer's state after
  the last step by parameter key, its names in camelCase (exp_avg -> expAvg).
- "clipGradNorm": torch.nn.utils.clip_grad_norm_ on random gradients of odd shapes: "grads" before,
  "args" {maxNorm, normType}, "totalNorm" and "clipped" after.
- "clipGradValue": torch.nn.utils.clip_grad_value_: "grads", "args" {clipValue}, "clipped".

Same format and conventions as tools/make_fixtures.py (whose helpers this script reuses):
float64, inputs quantized to multiples of 0.001, each case seeded from its name. See
test/fixtures/README.md.
"""

import math
import os
import re
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402  (write_fixture, tensor_json, seed_for, quantize, round_number)

mf.GENERATOR = "tools/fixtures_optim.py"
torch.set_default_dtype(torch.float64)

STEPS = 20
# PyTorch options that are about how the update runs, not what it computes.
NOT_HYPER = {"foreach", "maximize", "capturable", "differentiable", "fused"}


def camel(name):
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)


def options_json(group):
    out = {}
    for k, v in group.items():
        if k == "params" or k in NOT_HYPER:
            continue
        out[camel(k)] = list(v) if isinstance(v, tuple) else v
    return out


def state_json(value):
    if torch.is_tensor(value):
        return mf.round_number(value.item()) if value.dim() == 0 else mf.tensor_json(value)
    return value


TRAJECTORIES = [
    ("adagrad_plain", "Adagrad", dict(lr=0.1)),
    ("adagrad_lr_decay", "Adagrad", dict(lr=0.1, lr_decay=0.05)),
    ("adagrad_weight_decay_initial_accumulator", "Adagrad", dict(lr=0.1, weight_decay=0.05, initial_accumulator_value=0.5, eps=1e-6)),
    ("adadelta_plain", "Adadelta", dict()),
    ("adadelta_rho_eps_weight_decay", "Adadelta", dict(lr=0.5, rho=0.6, eps=1e-4, weight_decay=0.05)),
    ("rmsprop_plain", "RMSprop", dict(lr=0.01)),
    ("rmsprop_alpha_weight_decay", "RMSprop", dict(lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.05)),
    ("rmsprop_centered", "RMSprop", dict(lr=0.01, centered=True)),
    ("rmsprop_momentum", "RMSprop", dict(lr=0.01, momentum=0.9)),
    ("rmsprop_centered_momentum", "RMSprop", dict(lr=0.005, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.01)),
    ("adam_plain", "Adam", dict(lr=0.05)),
    ("adam_weight_decay", "Adam", dict(lr=0.05, weight_decay=0.1)),
    ("adam_amsgrad", "Adam", dict(lr=0.05, betas=(0.8, 0.9), amsgrad=True)),
    ("adam_betas_eps", "Adam", dict(lr=0.05, betas=(0.5, 0.7), eps=1e-3)),
    ("adamw_plain", "AdamW", dict(lr=0.05)),
    ("adamw_weight_decay_amsgrad", "AdamW", dict(lr=0.05, betas=(0.8, 0.9), weight_decay=0.2, amsgrad=True)),
    ("adamax_plain", "Adamax", dict(lr=0.05)),
    ("adamax_betas_weight_decay", "Adamax", dict(lr=0.05, betas=(0.7, 0.8), eps=1e-4, weight_decay=0.05)),
    ("nadam_plain", "NAdam", dict(lr=0.05)),
    ("nadam_momentum_decay_weight_decay", "NAdam", dict(lr=0.05, betas=(0.8, 0.9), momentum_decay=0.1, weight_decay=0.05)),
]

# Parameter groups: weight decay on the weights only, as optim.paramGroupsWithoutDecay does, and
# a group with its own learning rate.
GROUPED = [
    ("adamw_groups_without_decay", "AdamW", dict(lr=0.05), [(["0.weight", "2.weight"], dict(weight_decay=0.1)), (["0.bias", "2.bias"], dict(weight_decay=0.0))]),
    ("rmsprop_groups_lr", "RMSprop", dict(lr=0.01, momentum=0.5), [(["0.weight", "0.bias"], dict()), (["2.weight", "2.bias"], dict(lr=0.03, weight_decay=0.05))]),
]


def trajectory_cases():
    # Same model, data and initial parameters for every option set.
    mf.seed_for("optim_model")
    model = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2)).double()
    initial = {k: mf.quantize(v.detach()) for k, v in model.state_dict().items()}
    x = mf.quantize(torch.randn(5, 4))
    y = mf.quantize(torch.randn(5, 2))
    named = dict(model.named_parameters())
    key_of = {p: k for k, p in named.items()}

    cases = []
    for name, cls, options, groups in [(n, c, o, None) for n, c, o in TRAJECTORIES] + GROUPED:
        model.load_state_dict(initial)
        params = model.parameters() if groups is None else [dict(params=[named[k] for k in keys], **extra) for keys, extra in groups]
        opt = getattr(torch.optim, cls)(params, **options)
        steps = []
        for _ in range(STEPS):
            opt.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            opt.step()
            steps.append({
                "loss": mf.round_number(loss.item()),  # loss before this step's update
                "params": {k: mf.tensor_json(v) for k, v in model.state_dict().items()},
            })
        state = {key_of[p]: {camel(k): state_json(v) for k, v in s.items()} for p, s in opt.state.items()}
        if "amsgrad" in name:
            # The case only tests amsgrad if the running maximum differs from the average somewhere.
            assert any(not torch.equal(s["max_exp_avg_sq"], s["exp_avg_sq"]) for s in opt.state.values()), name
        case = {
            "kind": "trajectory",
            "name": name,
            "optimizer": cls,
            "options": options_json(opt.defaults),
            "input": mf.tensor_json(x),
            "target": mf.tensor_json(y),
            "initial": {k: mf.tensor_json(v) for k, v in initial.items()},
            "steps": steps,
            "state": state,
        }
        if groups is not None:
            case["groups"] = [{"params": keys, "options": options_json(g)} for (keys, _), g in zip(groups, opt.param_groups)]
        cases.append(case)
    return cases


GRAD_SHAPES = [(3, 5), (7,), (2, 3, 3), (1,)]


def random_grads(name, scale):
    mf.seed_for(name)
    return [mf.quantize(torch.randn(*s) * scale) for s in GRAD_SHAPES]


def clip_cases():
    cases = []
    # max_norm below the total (clipped) and above it (scaled by exactly 1); orders 2, 1, inf, 3, 0.5.
    for norm_type in [2.0, 1.0, math.inf, 3.0, 0.5]:
        for max_norm in [0.5, 1e4]:
            label = "inf" if norm_type == math.inf else f"{norm_type:g}".replace(".", "_")
            name = f"clip_grad_norm_p{label}_max{max_norm:g}"
            grads = random_grads(name, 1.0)
            params = [torch.zeros_like(g, requires_grad=True) for g in grads]
            for p, g in zip(params, grads):
                p.grad = g.clone()
            total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
            cases.append({
                "kind": "clipGradNorm",
                "name": name,
                "args": {"maxNorm": max_norm, "normType": "inf" if norm_type == math.inf else norm_type},
                "grads": [mf.tensor_json(g) for g in grads],
                "totalNorm": mf.round_number(total.item()),
                "clipped": [mf.tensor_json(p.grad) for p in params],
            })
    for clip_value in [0.5, 0.0, 10.0]:
        name = f"clip_grad_value_{clip_value:g}".replace(".", "_")
        grads = random_grads(name, 1.0)
        params = [torch.zeros_like(g, requires_grad=True) for g in grads]
        for p, g in zip(params, grads):
            p.grad = g.clone()
        torch.nn.utils.clip_grad_value_(params, clip_value)
        cases.append({
            "kind": "clipGradValue",
            "name": name,
            "args": {"clipValue": clip_value},
            "grads": [mf.tensor_json(g) for g in grads],
            "clipped": [mf.tensor_json(p.grad) for p in params],
        })
    return cases


def main():
    print(f"torch {torch.__version__}, writing to {mf.OUT_DIR}")
    mf.write_fixture("optim.json", trajectory_cases() + clip_cases())


if __name__ == "__main__":
    main()
