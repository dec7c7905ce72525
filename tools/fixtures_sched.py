#!/usr/bin/env python3
"""PyTorch reference fixtures for the learning-rate schedulers (test/fixtures/sched.json).

Usage (from the repository root):

    python3 tools/fixtures_sched.py

Every case builds a torch.optim optimizer over one dummy parameter per group, attaches a scheduler
from torch.optim.lr_scheduler and records the learning rate of every group as `get_last_lr()`
prints it: `lr[0]` right after construction, then `lr[k]` after the k-th `scheduler.step()` (each
step follows an `optimizer.step()`, as PyTorch asks). OneCycleLR cases also record the cycled
momentum (SGD's `momentum`, Adam's `betas[0]`) in `momentum`, in the same layout.
ReduceLROnPlateau cases feed the fixed `metrics` sequence, one value per step.

The numbers are written exactly (Python's shortest round-trip repr of each double), not rounded
to 12 digits as the op fixtures are: a schedule is a short chain of float operations, so Tessera
can be compared to 1e-12 relative.

Arguments are stored in camelCase under the Tessera constructor's names (see test/fixtures/README.md):
`stepSize`, `gamma`, `milestones`, `tMax`, `etaMin`, `startFactor`, `endFactor`, `totalIters`,
`maxLr`, `totalSteps`, `epochs`, `stepsPerEpoch`, `pctStart`, `annealStrategy`, `cycleMomentum`,
`baseMomentum`, `maxMomentum`, `divFactor`, `finalDivFactor`, `threePhase`, `mode`, `factor`,
`patience`, `threshold`, `thresholdMode`, `cooldown`, `minLr`, `eps`; SequentialLR holds
`schedulers` (a list of {scheduler, args}) and `milestones`.
"""

import math
import os
import sys
import warnings

import torch
import torch.optim.lr_scheduler as S

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402  (reuses write_fixture)

mf.GENERATOR = "tools/fixtures_sched.py"
torch.set_default_dtype(torch.float64)
warnings.filterwarnings("ignore", category=UserWarning)

STEPS = 30

# camelCase (Tessera, fixture) -> snake_case (PyTorch)
SNAKE = {
    "stepSize": "step_size", "gamma": "gamma", "milestones": "milestones", "tMax": "T_max",
    "etaMin": "eta_min", "startFactor": "start_factor", "endFactor": "end_factor",
    "totalIters": "total_iters", "maxLr": "max_lr", "totalSteps": "total_steps",
    "epochs": "epochs", "stepsPerEpoch": "steps_per_epoch", "pctStart": "pct_start",
    "annealStrategy": "anneal_strategy", "cycleMomentum": "cycle_momentum",
    "baseMomentum": "base_momentum", "maxMomentum": "max_momentum", "divFactor": "div_factor",
    "finalDivFactor": "final_div_factor", "threePhase": "three_phase", "mode": "mode",
    "factor": "factor", "patience": "patience", "threshold": "threshold",
    "thresholdMode": "threshold_mode", "cooldown": "cooldown", "minLr": "min_lr", "eps": "eps",
}

CLASSES = {
    "StepLR": S.StepLR, "MultiStepLR": S.MultiStepLR, "ExponentialLR": S.ExponentialLR,
    "CosineAnnealingLR": S.CosineAnnealingLR, "LinearLR": S.LinearLR, "OneCycleLR": S.OneCycleLR,
    "ReduceLROnPlateau": S.ReduceLROnPlateau,
}


def make_optimizer(spec):
    """spec: {"type": "SGD" | "Adam", "groups": [{"lr", "momentum"?, "betas"?}, ...]}"""
    groups = []
    for g in spec["groups"]:
        group = {"params": [torch.zeros(1, requires_grad=True)], "lr": g["lr"]}
        if "momentum" in g:
            group["momentum"] = g["momentum"]
        if "betas" in g:
            group["betas"] = tuple(g["betas"])
        groups.append(group)
    if spec["type"] == "SGD":
        return torch.optim.SGD(groups, lr=spec["groups"][0]["lr"])
    if spec["type"] == "Adam":
        return torch.optim.Adam(groups, lr=spec["groups"][0]["lr"])
    raise ValueError(spec["type"])


def make_scheduler(opt, kind, args):
    if kind == "SequentialLR":
        subs = [make_scheduler(opt, s["scheduler"], s["args"]) for s in args["schedulers"]]
        return S.SequentialLR(opt, subs, milestones=args["milestones"])
    return CLASSES[kind](opt, **{SNAKE[k]: v for k, v in args.items()})


def momentum_of(opt):
    return [g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups]


def case(name, kind, args, optimizer=None, steps=STEPS, metrics=None, momentum=False):
    optimizer = optimizer or {"type": "SGD", "groups": [{"lr": 0.1}]}
    opt = make_optimizer(optimizer)
    sched = make_scheduler(opt, kind, args)
    lrs = [[float(g["lr"]) for g in opt.param_groups]]
    moms = [momentum_of(opt)] if momentum else None
    for k in range(steps):
        opt.step()
        if metrics is not None:
            sched.step(metrics[k])
        else:
            sched.step()
        # ReduceLROnPlateau has no get_last_lr() in 1.13; its _last_lr is the same list.
        last = sched._last_lr if kind == "ReduceLROnPlateau" else sched.get_last_lr()
        assert last == [g["lr"] for g in opt.param_groups], name
        lrs.append([float(v) for v in last])
        if momentum:
            moms.append(momentum_of(opt))
    for row in lrs:
        for v in row:
            if not math.isfinite(v):
                raise ValueError(f"{name}: non-finite lr {v}")
    out = {"name": name, "scheduler": kind, "args": args, "optimizer": optimizer, "steps": steps}
    if metrics is not None:
        out["metrics"] = metrics
    out["lr"] = lrs
    if momentum:
        out["momentum"] = moms
    return out


def two_groups(lr0=0.1, lr1=0.03, **extra):
    return {"type": "SGD", "groups": [{"lr": lr0, **extra}, {"lr": lr1, **extra}]}


def step_cases():
    return [
        case("step_s3_g0.1", "StepLR", {"stepSize": 3, "gamma": 0.1}),
        case("step_s7_g0.5_two_groups", "StepLR", {"stepSize": 7, "gamma": 0.5}, two_groups()),
        case("step_s1_g0.9", "StepLR", {"stepSize": 1, "gamma": 0.9}),
        case("step_s4_g1.5_growth", "StepLR", {"stepSize": 4, "gamma": 1.5}),
        case("multistep_3_7_15", "MultiStepLR", {"milestones": [3, 7, 15], "gamma": 0.1}),
        case("multistep_5_20_g0.5_two_groups", "MultiStepLR", {"milestones": [5, 20], "gamma": 0.5}, two_groups(0.2, 0.05)),
        case("multistep_0_4_first_at_construction", "MultiStepLR", {"milestones": [0, 4], "gamma": 0.3}),
        case("multistep_40_beyond_run", "MultiStepLR", {"milestones": [40], "gamma": 0.1}),
        case("exp_g0.9", "ExponentialLR", {"gamma": 0.9}),
        case("exp_g0.5_two_groups", "ExponentialLR", {"gamma": 0.5}, two_groups()),
        case("exp_g0.999", "ExponentialLR", {"gamma": 0.999}),
    ]


def cosine_cases():
    return [
        # 30 steps over T_max 10: past T_max the recursive form swings back up (period 2·T_max).
        case("cosine_t10", "CosineAnnealingLR", {"tMax": 10, "etaMin": 0}),
        case("cosine_t30", "CosineAnnealingLR", {"tMax": 30, "etaMin": 0}),
        case("cosine_t7_etamin_two_groups", "CosineAnnealingLR", {"tMax": 7, "etaMin": 0.001}, two_groups()),
        case("cosine_t1", "CosineAnnealingLR", {"tMax": 1, "etaMin": 0}),
        case("cosine_t3_etamin", "CosineAnnealingLR", {"tMax": 3, "etaMin": 0.01}, {"type": "SGD", "groups": [{"lr": 0.5}]}),
    ]


def linear_cases():
    return [
        case("linear_default", "LinearLR", {"startFactor": 1.0 / 3, "endFactor": 1.0, "totalIters": 5}),
        case("linear_warmup_0.1_10", "LinearLR", {"startFactor": 0.1, "endFactor": 1.0, "totalIters": 10}),
        case("linear_decay_1_to_0.1_two_groups", "LinearLR", {"startFactor": 1.0, "endFactor": 0.1, "totalIters": 8}, two_groups()),
        case("linear_0.5_to_0.2_1", "LinearLR", {"startFactor": 0.5, "endFactor": 0.2, "totalIters": 1}),
    ]


def one_cycle_cases():
    sgd_m = {"type": "SGD", "groups": [{"lr": 0.1, "momentum": 0.9}]}
    adam = {"type": "Adam", "groups": [{"lr": 0.001, "betas": [0.9, 0.999]}]}
    return [
        case("onecycle_default_cos", "OneCycleLR", {"maxLr": 0.1, "totalSteps": 30}, sgd_m, momentum=True),
        case("onecycle_linear_pct0.25", "OneCycleLR",
             {"maxLr": 0.5, "totalSteps": 30, "pctStart": 0.25, "annealStrategy": "linear", "divFactor": 10.0, "finalDivFactor": 100.0},
             sgd_m, momentum=True),
        case("onecycle_three_phase_cos", "OneCycleLR", {"maxLr": 0.1, "totalSteps": 30, "threePhase": True}, sgd_m, momentum=True),
        case("onecycle_three_phase_linear_pct0.4", "OneCycleLR",
             {"maxLr": 0.2, "totalSteps": 30, "threePhase": True, "annealStrategy": "linear", "pctStart": 0.4}, sgd_m, momentum=True),
        case("onecycle_epochs_5x6", "OneCycleLR", {"maxLr": 0.1, "epochs": 5, "stepsPerEpoch": 6}, sgd_m, momentum=True),
        case("onecycle_no_cycle_momentum", "OneCycleLR", {"maxLr": 0.1, "totalSteps": 30, "cycleMomentum": False}, sgd_m, momentum=True),
        case("onecycle_sgd_momentum0_cycles", "OneCycleLR", {"maxLr": 0.1, "totalSteps": 30}, {"type": "SGD", "groups": [{"lr": 0.1}]}, momentum=True),
        case("onecycle_adam_beta1", "OneCycleLR", {"maxLr": 0.01, "totalSteps": 30, "baseMomentum": 0.8, "maxMomentum": 0.9}, adam, momentum=True),
        case("onecycle_two_groups_lists", "OneCycleLR",
             {"maxLr": [0.1, 0.05], "totalSteps": 30, "baseMomentum": [0.85, 0.8], "maxMomentum": [0.95, 0.9]},
             two_groups(momentum=0.9), momentum=True),
        case("onecycle_long_40_steps_20", "OneCycleLR", {"maxLr": 1.0, "totalSteps": 40, "pctStart": 0.5}, sgd_m, steps=20, momentum=True),
    ]


def sequential_cases():
    return [
        case("seq_linear5_cosine25", "SequentialLR", {
            "schedulers": [
                {"scheduler": "LinearLR", "args": {"startFactor": 0.1, "endFactor": 1.0, "totalIters": 5}},
                {"scheduler": "CosineAnnealingLR", "args": {"tMax": 25, "etaMin": 0}},
            ],
            "milestones": [5]}),
        case("seq_linear4_step5", "SequentialLR", {
            "schedulers": [
                {"scheduler": "LinearLR", "args": {"startFactor": 0.25, "endFactor": 1.0, "totalIters": 4}},
                {"scheduler": "StepLR", "args": {"stepSize": 5, "gamma": 0.5}},
            ],
            "milestones": [4]}, two_groups()),
        case("seq_three_linear_exp_multistep", "SequentialLR", {
            "schedulers": [
                {"scheduler": "LinearLR", "args": {"startFactor": 0.5, "endFactor": 1.0, "totalIters": 3}},
                {"scheduler": "ExponentialLR", "args": {"gamma": 0.9}},
                {"scheduler": "MultiStepLR", "args": {"milestones": [2, 6], "gamma": 0.1}},
            ],
            "milestones": [3, 12]}),
        case("seq_linear3_cosine_etamin_t10", "SequentialLR", {
            "schedulers": [
                {"scheduler": "LinearLR", "args": {"startFactor": 0.2, "endFactor": 1.0, "totalIters": 3}},
                {"scheduler": "CosineAnnealingLR", "args": {"tMax": 10, "etaMin": 0.005}},
            ],
            "milestones": [3]}),
    ]


def plateau_cases():
    # A validation loss that falls, then stalls (with noise below the 1e-4 relative threshold),
    # falls again, stalls again: 40 epochs.
    loss = []
    v = 2.0
    for k in range(40):
        if k < 8 or 20 <= k < 24:
            v *= 0.8
            loss.append(v)
        else:
            loss.append(v * (1 + ((k * 7) % 5 - 2) * 1e-5))
    # A validation accuracy that climbs then plateaus: 40 epochs (max mode).
    acc = [min(0.9, 0.5 + 0.05 * k) if k < 12 else 0.9 - 0.001 * ((k * 3) % 4) for k in range(40)]
    acc[25] = 0.93  # one late improvement resets the count
    # A loss whose improvements are tiny in absolute terms (abs threshold 0.01 decides).
    slow = [1.0 - 0.004 * k for k in range(40)]
    return [
        case("plateau_default_min", "ReduceLROnPlateau", {}, steps=40, metrics=loss),
        case("plateau_min_patience2", "ReduceLROnPlateau", {"mode": "min", "patience": 2}, steps=40, metrics=loss),
        case("plateau_max_acc_factor0.5_patience2", "ReduceLROnPlateau", {"mode": "max", "factor": 0.5, "patience": 2}, steps=40, metrics=acc),
        case("plateau_abs_threshold_cooldown_minlr", "ReduceLROnPlateau",
             {"mode": "min", "factor": 0.5, "patience": 1, "threshold": 0.01, "thresholdMode": "abs", "cooldown": 2, "minLr": 0.02},
             steps=40, metrics=slow),
        case("plateau_max_abs_two_groups_minlr_list", "ReduceLROnPlateau",
             {"mode": "max", "patience": 3, "threshold": 0.02, "thresholdMode": "abs", "minLr": [0.001, 0.0005]},
             two_groups(), steps=40, metrics=acc),
        case("plateau_eps_stops_tiny_updates", "ReduceLROnPlateau",
             {"mode": "min", "factor": 0.5, "patience": 0, "eps": 1e-3},
             {"type": "SGD", "groups": [{"lr": 0.01}]}, steps=40, metrics=[1.0] * 40),
        case("plateau_rel_threshold_0.1_cooldown1", "ReduceLROnPlateau",
             {"mode": "min", "patience": 1, "threshold": 0.1, "cooldown": 1}, steps=40, metrics=loss),
    ]


def main():
    cases = step_cases() + cosine_cases() + linear_cases() + one_cycle_cases() + sequential_cases() + plateau_cases()
    mf.write_fixture("sched.json", cases)


if __name__ == "__main__":
    main()
