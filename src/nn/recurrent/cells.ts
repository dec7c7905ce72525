/**
 * Single-step recurrent cells (torch.nn.RNNCell, LSTMCell, GRUCell): one call advances the
 * state by one time step; loop over time yourself (or use RNN / LSTM / GRU). Parameters have
 * PyTorch's names and shapes — weight_ih [G·hidden, input], weight_hh [G·hidden, hidden],
 * bias_ih / bias_hh [G·hidden] with G = 1, 4 (i, f, g, o) or 3 (r, z, n) — all initialised
 * U(±1/√hidden). Input [batch, input] or unbatched [input]; a missing state is zeros.
 */
import type { Tensor } from "../../tensor/tensor.js";
import type { DType } from "../../backend/types.js";
import { zeros } from "../../tensor/create.js";
import { linear } from "../../ops/matmul.js";
import { ShapeError, ValueError } from "../../errors.js";
import { Module } from "../module.js";
import type { Parameter } from "../parameter.js";
import { checkSize, recurrentParam } from "./params.js";
import { gruStep, lstmStep, rnnStep, type RecurrentNonlinearity } from "./steps.js";

export interface RNNCellOptions {
  /** Add bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** "tanh" (default) or "relu" (RNNCell only). */
  nonlinearity?: RecurrentNonlinearity;
  /** dtype of the parameters (default float32). */
  dtype?: DType;
}

export abstract class CellBase extends Module {
  weight_ih: Parameter;
  weight_hh: Parameter;
  bias_ih: Parameter | null;
  bias_hh: Parameter | null;

  constructor(readonly inputSize: number, readonly hiddenSize: number, gates: number, options: RNNCellOptions) {
    super();
    const name = new.target.name;
    checkSize(name, "inputSize", inputSize);
    checkSize(name, "hiddenSize", hiddenSize);
    const dtype = options.dtype ?? "float32";
    this.weight_ih = recurrentParam([gates * hiddenSize, inputSize], hiddenSize, dtype);
    this.weight_hh = recurrentParam([gates * hiddenSize, hiddenSize], hiddenSize, dtype);
    const bias = options.bias ?? true;
    this.bias_ih = bias ? recurrentParam([gates * hiddenSize], hiddenSize, dtype) : null;
    this.bias_hh = bias ? recurrentParam([gates * hiddenSize], hiddenSize, dtype) : null;
  }

  /** Checks x ([batch, input] or [input]) and a state tensor; returns x batched and whether it was not. */
  protected prepare(x: Tensor, states: (Tensor | undefined)[]): { x: Tensor; unbatched: boolean; states: Tensor[] } {
    if ((x.ndim !== 1 && x.ndim !== 2) || x.shape[x.ndim - 1] !== this.inputSize) {
      throw new ShapeError(`${this.describe()}: input must be [batch, ${this.inputSize}] or [${this.inputSize}], got [${x.shape}]`);
    }
    const unbatched = x.ndim === 1;
    const xb = unbatched ? x.unsqueeze(0) : x;
    const B = xb.shape[0];
    const out = states.map((s, k) => {
      if (!s) return zeros([B, this.hiddenSize], { dtype: x.dtype });
      const want = unbatched ? [this.hiddenSize] : [B, this.hiddenSize];
      if (s.ndim !== want.length || s.shape.some((d, i) => d !== want[i])) {
        throw new ShapeError(`${this.describe()}: state ${k} must be [${want}] for input [${x.shape}], got [${s.shape}]`);
      }
      return unbatched ? s.unsqueeze(0) : s;
    });
    return { x: xb, unbatched, states: out };
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias_ih ? "" : ", bias=false"}`;
  }
}

const unbatch = (t: Tensor, unbatched: boolean): Tensor => (unbatched ? t.squeeze(0) : t);

/** Elman cell: h' = tanh(W_ih·x + b_ih + W_hh·h + b_hh) (or relu). */
export class RNNCell extends CellBase {
  readonly nonlinearity: RecurrentNonlinearity;

  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super(inputSize, hiddenSize, 1, options);
    this.nonlinearity = options.nonlinearity ?? "tanh";
    if (this.nonlinearity !== "tanh" && this.nonlinearity !== "relu") throw new ValueError(`RNNCell: nonlinearity must be "tanh" or "relu", got ${String(this.nonlinearity)}`);
  }

  forward(x: Tensor, h?: Tensor): Tensor {
    const p = this.prepare(x, [h]);
    return unbatch(rnnStep(linear(p.x, this.weight_ih, this.bias_ih), p.states[0], this.weight_hh, this.bias_hh, this.nonlinearity), p.unbatched);
  }
}

/**
 * LSTM cell, gates i, f, g, o stacked in that order:
 * i = σ(W_ii x + b_ii + W_hi h + b_hi), f = σ(W_if x + b_if + W_hf h + b_hf),
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg), o = σ(W_io x + b_io + W_ho h + b_ho),
 * c' = f⊙c + i⊙g, h' = o⊙tanh(c').
 * `forward(x, h, c)` returns h'; `step(x, state)` returns both { h, c }.
 */
export class LSTMCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options: Omit<RNNCellOptions, "nonlinearity"> = {}) {
    super(inputSize, hiddenSize, 4, options);
  }

  step(x: Tensor, state: { h?: Tensor; c?: Tensor } = {}): { h: Tensor; c: Tensor } {
    const p = this.prepare(x, [state.h, state.c]);
    const r = lstmStep(linear(p.x, this.weight_ih, this.bias_ih), p.states[0], p.states[1], this.weight_hh, this.bias_hh);
    return { h: unbatch(r.h, p.unbatched), c: unbatch(r.c, p.unbatched) };
  }

  forward(x: Tensor, h?: Tensor, c?: Tensor): Tensor {
    return this.step(x, { h, c }).h;
  }
}

/**
 * GRU cell, gates r, z, n stacked in that order (PyTorch's formulation):
 * r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
 * n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)), h' = (1 − z)⊙n + z⊙h.
 */
export class GRUCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options: Omit<RNNCellOptions, "nonlinearity"> = {}) {
    super(inputSize, hiddenSize, 3, options);
  }

  forward(x: Tensor, h?: Tensor): Tensor {
    const p = this.prepare(x, [h]);
    return unbatch(gruStep(linear(p.x, this.weight_ih, this.bias_ih), p.states[0], this.weight_hh, this.bias_hh), p.unbatched);
  }
}
