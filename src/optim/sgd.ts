import type { Tensor } from "../tensor/tensor.js";
import { ValueError } from "../errors.js";
import { keep } from "../tensor/scope.js";
import { zerosLike } from "../tensor/create.js";
import { checkRange, Optimizer, type ParamsArg } from "./optimizer.js";

export interface SGDOptions {
  [key: string]: number | boolean;
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
}

/**
 * Stochastic gradient descent with momentum, exactly PyTorch's update:
 *
 *   g ← ∇θ + λ·θ                          (weight decay λ: the L2-regularised gradient)
 *   b ← g                 on the first step,
 *   b ← μ·b + (1 − τ)·g   afterwards      (momentum μ, dampening τ)
 *   g ← g + μ·b if nesterov, else g ← b
 *   θ ← θ − η·g                           (learning rate η)
 *
 * The update runs as one fused backend kernel (`Backend.sgdUpdate`).
 * With μ = 0 this is plain SGD, θ ← θ − η∇θ, as in Nielsen's network.py (whose cost already
 * averages over the mini-batch).
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsArg<SGDOptions>, options: Partial<SGDOptions> & { lr: number }) {
    super(params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, ...options });
  }

  protected validate(o: SGDOptions): void {
    checkRange(o.lr, "lr", "SGD", o.lr >= 0, "a number >= 0");
    checkRange(o.momentum, "momentum", "SGD", o.momentum >= 0 && o.momentum < 1, "in [0, 1)");
    checkRange(o.dampening, "dampening", "SGD", o.dampening >= 0 && o.dampening <= 1, "in [0, 1]");
    checkRange(o.weightDecay, "weightDecay", "SGD", o.weightDecay >= 0, "a number >= 0");
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new ValueError(`SGD: nesterov needs momentum > 0 and dampening 0, got momentum ${o.momentum}, dampening ${o.dampening}`);
    }
  }

  protected update(p: Tensor, grad: Tensor, o: SGDOptions, state: Record<string, Tensor | number>): void {
    let buf = state.momentumBuffer as Tensor | undefined;
    const firstStep = o.momentum !== 0 && !buf;
    if (firstStep) state.momentumBuffer = buf = keep(zerosLike(p));
    const g = grad.dtype === p.dtype ? grad : grad.to(p.dtype);
    p.storage.backend.sgdUpdate(p.storage, g.storage, o.momentum !== 0 ? buf!.storage : null, {
      lr: o.lr, momentum: o.momentum, dampening: o.dampening, weightDecay: o.weightDecay, nesterov: o.nesterov, firstStep,
    });
  }
}
