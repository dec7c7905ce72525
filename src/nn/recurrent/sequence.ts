/**
 * Sequence layers torch.nn.RNN, LSTM and GRU: stacked (numLayers), optionally bidirectional,
 * with dropout between layers in training. Backpropagation through time is autograd over the
 * unrolled loop of cell steps (src/nn/recurrent/steps.ts); for each layer and direction the
 * input projection x·W_ihᵀ + b_ih of all time steps is one matmul.
 *
 * Parameter names are PyTorch's: weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k},
 * with the suffix _reverse for the backward direction, in PyTorch's order, so a PyTorch state
 * dict loads unchanged. Shapes: weight_ih_l0 [G·hidden, input], deeper layers
 * [G·hidden, D·hidden] (D = 2 when bidirectional), weight_hh [G·hidden, hidden], biases
 * [G·hidden]; G = 1 (RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n). Init U(±1/√hidden).
 * LSTM `projSize` adds weight_hr_l{k} (PyTorch's proj_size) and narrows h to projSize features;
 * LSTM `peephole` adds weight_ci/cf/co_l{k} (not in PyTorch).
 *
 * Input [T, batch, input] ([batch, T, input] with batchFirst) or unbatched [T, input].
 * `run(x, { h0, c0, lengths })` returns { output [T, batch, D·hidden], hN [L·D, batch, hidden],
 * cN (LSTM) }; `forward(x)` returns the output only. Truncated BPTT: pass the detached final
 * states of one chunk as h0 / c0 of the next.
 */
import type { Tensor } from "../../tensor/tensor.js";
import type { DType } from "../../backend/types.js";
import { zeros } from "../../tensor/create.js";
import { linear } from "../../ops/matmul.js";
import { cat, stack } from "../../ops/shape.js";
import { dropout } from "../../ops/dropout.js";
import { ShapeError, ValueError } from "../../errors.js";
import { Module } from "../module.js";
import type { Parameter } from "../parameter.js";
import { checkSize, recurrentParam } from "./params.js";
import { gruStep, lstmStep, peepholeLstmStep, rnnStep, type RecurrentNonlinearity } from "./steps.js";
import { stepMasks } from "./lengths.js";

export interface RecurrentOptions {
  /** Stacked layers (default 1). */
  numLayers?: number;
  /** Add the biases (default true). */
  bias?: boolean;
  /** Input and output are [batch, T, features] instead of [T, batch, features] (default false). */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training (default 0). */
  dropout?: number;
  /** Also run the sequence backwards and concatenate both directions' outputs (default false). */
  bidirectional?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: DType;
}

/** LSTM-only options. */
export interface LSTMOptions extends RecurrentOptions {
  /**
   * Project h to this many features after each step (PyTorch's proj_size, 0 = off): h = W_hr·h
   * with weight_hr_l{k} [projSize, hidden]; h0 / hN / output use projSize, c0 / cN keep hidden.
   */
  projSize?: number;
  /**
   * Peephole connections (the lectures' LSTM; see PeepholeLSTMCell): diagonal weights
   * weight_ci_l{k}, weight_cf_l{k}, weight_co_l{k} [hidden] per direction. Not in PyTorch, so a
   * peephole LSTM's state dict has these extra keys.
   */
  peephole?: boolean;
}

export interface RNNOptions extends RecurrentOptions {
  /** "tanh" (default) or "relu". */
  nonlinearity?: RecurrentNonlinearity;
}

export interface RecurrentRunOptions {
  /** Initial hidden state [numLayers·D, batch, hidden] (zeros when absent). */
  h0?: Tensor;
  /** Initial cell state of an LSTM, same shape as h0. */
  c0?: Tensor;
  /** Valid length of each sequence of a padded batch (see lengths.ts); padding never leaks. */
  lengths?: Tensor | number[];
}

export interface RecurrentResult {
  output: Tensor;
  hN: Tensor;
  /** LSTM only. */
  cN?: Tensor;
}

type Mode = "RNN" | "LSTM" | "GRU";
const GATES: Record<Mode, number> = { RNN: 1, LSTM: 4, GRU: 3 };

interface DirectionWeights {
  wIh: Parameter;
  wHh: Parameter;
  bIh: Parameter | null;
  bHh: Parameter | null;
  /** LSTM projSize: weight_hr [projSize, hidden]. */
  wHr?: Parameter;
  /** Peephole LSTM: diagonal cell-to-gate weights [hidden]. */
  peep?: { ci: Parameter; cf: Parameter; co: Parameter };
}

export abstract class RecurrentBase extends Module {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** LSTM projection size (0: none). */
  readonly projSize: number;
  readonly peephole: boolean;
  /** @internal [layer][direction] → the parameters registered under PyTorch's names. */
  readonly _weights: DirectionWeights[][] = [];

  constructor(protected readonly mode: Mode, readonly inputSize: number, readonly hiddenSize: number, options: LSTMOptions) {
    super();
    const name = new.target.name;
    checkSize(name, "inputSize", inputSize);
    checkSize(name, "hiddenSize", hiddenSize);
    this.numLayers = options.numLayers ?? 1;
    checkSize(name, "numLayers", this.numLayers);
    this.bias = options.bias ?? true;
    this.batchFirst = options.batchFirst ?? false;
    this.dropout = options.dropout ?? 0;
    if (typeof this.dropout !== "number" || !(this.dropout >= 0 && this.dropout <= 1)) throw new ValueError(`${name}: dropout must be a probability in [0, 1], got ${this.dropout}`);
    this.bidirectional = options.bidirectional ?? false;
    this.projSize = options.projSize ?? 0;
    this.peephole = options.peephole ?? false;
    if (!Number.isInteger(this.projSize) || this.projSize < 0 || this.projSize >= hiddenSize) {
      throw new ValueError(`${name}: projSize must be an integer in [0, hiddenSize = ${hiddenSize}), got ${this.projSize}`);
    }
    if (mode !== "LSTM" && (this.projSize || this.peephole)) throw new ValueError(`${name}: projSize and peephole are LSTM options`);
    const outSize = this.projSize || hiddenSize;
    const dtype = options.dtype ?? "float32";
    const G = GATES[mode] * hiddenSize;
    const D = this.bidirectional ? 2 : 1;
    const self = this as unknown as Record<string, Parameter>;
    for (let l = 0; l < this.numLayers; l++) {
      const layer: DirectionWeights[] = [];
      for (let d = 0; d < D; d++) {
        const suffix = `_l${l}${d === 1 ? "_reverse" : ""}`;
        const inSize = l === 0 ? inputSize : D * outSize;
        const w: DirectionWeights = {
          wIh: (self[`weight_ih${suffix}`] = recurrentParam([G, inSize], hiddenSize, dtype)),
          wHh: (self[`weight_hh${suffix}`] = recurrentParam([G, outSize], hiddenSize, dtype)),
          bIh: this.bias ? (self[`bias_ih${suffix}`] = recurrentParam([G], hiddenSize, dtype)) : null,
          bHh: this.bias ? (self[`bias_hh${suffix}`] = recurrentParam([G], hiddenSize, dtype)) : null,
        };
        if (this.projSize) w.wHr = self[`weight_hr${suffix}`] = recurrentParam([this.projSize, hiddenSize], hiddenSize, dtype);
        if (this.peephole) {
          w.peep = {
            ci: (self[`weight_ci${suffix}`] = recurrentParam([hiddenSize], hiddenSize, dtype)),
            cf: (self[`weight_cf${suffix}`] = recurrentParam([hiddenSize], hiddenSize, dtype)),
            co: (self[`weight_co${suffix}`] = recurrentParam([hiddenSize], hiddenSize, dtype)),
          };
        }
        layer.push(w);
      }
      this._weights.push(layer);
    }
  }

  /** One cell step; c is used (and returned) by LSTM only. */
  protected abstract cellStep(gi: Tensor, h: Tensor, c: Tensor | null, w: DirectionWeights): { h: Tensor; c: Tensor | null };

  forward(x: Tensor): Tensor {
    return this.run(x).output;
  }

  run(input: Tensor, options: RecurrentRunOptions = {}): RecurrentResult {
    const where = this.describe();
    if ((input.ndim !== 2 && input.ndim !== 3) || input.shape[input.ndim - 1] !== this.inputSize) {
      const layout = this.batchFirst ? "[batch, T, " : "[T, batch, ";
      throw new ShapeError(`${where}: input must be ${layout}${this.inputSize}] or unbatched [T, ${this.inputSize}], got [${input.shape}]`);
    }
    const unbatched = input.ndim === 2;
    const x = unbatched ? input.unsqueeze(1) : this.batchFirst ? input.transpose(0, 1) : input;
    const [T, B] = x.shape;
    const D = this.bidirectional ? 2 : 1;
    const H = this.hiddenSize;
    const P = this.projSize || H;
    const masks = stepMasks(where, options.lengths, T, B, x);
    if (this.mode !== "LSTM" && options.c0) throw new ValueError(`${where}: c0 is an LSTM state; ${this.constructor.name} has none`);
    const h0 = this.initialState(where, "h0", options.h0, P, unbatched, B, x);
    const c0 = this.mode === "LSTM" ? this.initialState(where, "c0", options.c0, H, unbatched, B, x) : null;

    const hN: Tensor[] = [];
    const cN: Tensor[] = [];
    let layerInput = x;
    for (let l = 0; l < this.numLayers; l++) {
      const dirOutputs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const w = this._weights[l][d];
        const k = l * D + d;
        let h = h0.narrow(0, k, 1).reshape([B, P]);
        let c = c0 ? c0.narrow(0, k, 1).reshape([B, H]) : null;
        const gi = linear(layerInput, w.wIh, w.bIh); // [T, B, G·H], every step at once
        const outs: Tensor[] = new Array<Tensor>(T);
        for (let s = 0; s < T; s++) {
          const t = d === 0 ? s : T - 1 - s;
          const next = this.cellStep(gi.narrow(0, t, 1).reshape([B, gi.shape[2]]), h, c, w);
          if (masks) {
            const m = masks[t];
            outs[t] = next.h.mul(m);
            h = h.add(next.h.sub(h).mul(m));
            if (c && next.c) c = c.add(next.c.sub(c).mul(m));
          } else {
            outs[t] = next.h;
            h = next.h;
            c = next.c;
          }
        }
        dirOutputs.push(stack(outs, 0));
        hN.push(h);
        if (c) cN.push(c);
      }
      let out = D === 2 ? cat(dirOutputs, 2) : dirOutputs[0];
      if (this.training && this.dropout > 0 && l < this.numLayers - 1) out = dropout(out, this.dropout, { name: where });
      layerInput = out;
    }
    const fix = (t: Tensor) => (unbatched ? t.squeeze(1) : t);
    const output = unbatched ? layerInput.squeeze(1) : this.batchFirst ? layerInput.transpose(0, 1) : layerInput;
    const result: RecurrentResult = { output, hN: fix(stack(hN, 0)) };
    if (this.mode === "LSTM") result.cN = fix(stack(cN, 0));
    return result;
  }

  private initialState(where: string, name: string, s: Tensor | undefined, size: number, unbatched: boolean, B: number, x: Tensor): Tensor {
    const L = this.numLayers * (this.bidirectional ? 2 : 1);
    if (!s) return zeros([L, B, size], { dtype: x.dtype });
    const want = unbatched ? [L, size] : [L, B, size];
    if (s.ndim !== want.length || s.shape.some((v, i) => v !== want[i])) {
      throw new ShapeError(`${where}: ${name} must be [${want}] (numLayers·directions, ${unbatched ? "" : "batch, "}hidden) for input [${x.shape}], got [${s.shape}]`);
    }
    return unbatched ? s.unsqueeze(1) : s;
  }

  override extraRepr(): string {
    const parts = [`${this.inputSize}, ${this.hiddenSize}`];
    if (this.numLayers !== 1) parts.push(`numLayers=${this.numLayers}`);
    if (!this.bias) parts.push("bias=false");
    if (this.batchFirst) parts.push("batchFirst=true");
    if (this.dropout) parts.push(`dropout=${this.dropout}`);
    if (this.bidirectional) parts.push("bidirectional=true");
    if (this.projSize) parts.push(`projSize=${this.projSize}`);
    if (this.peephole) parts.push("peephole=true");
    return parts.join(", ");
  }
}

/** Elman RNN: h_t = act(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh), act = tanh or relu (torch.nn.RNN). */
export class RNN extends RecurrentBase {
  readonly nonlinearity: RecurrentNonlinearity;

  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super("RNN", inputSize, hiddenSize, options);
    this.nonlinearity = options.nonlinearity ?? "tanh";
    if (this.nonlinearity !== "tanh" && this.nonlinearity !== "relu") throw new ValueError(`RNN: nonlinearity must be "tanh" or "relu", got ${String(this.nonlinearity)}`);
  }

  protected cellStep(gi: Tensor, h: Tensor, _c: Tensor | null, w: DirectionWeights): { h: Tensor; c: null } {
    return { h: rnnStep(gi, h, w.wHh, w.bHh, this.nonlinearity), c: null };
  }
}

/**
 * Long short-term memory (torch.nn.LSTM); the step equations are LSTMCell's (PeepholeLSTMCell's
 * with `peephole`), followed by h = W_hr·h with `projSize`. Returns cN too.
 */
export class LSTM extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    super("LSTM", inputSize, hiddenSize, options);
  }

  protected cellStep(gi: Tensor, h: Tensor, c: Tensor | null, w: DirectionWeights): { h: Tensor; c: Tensor } {
    const r = w.peep ? peepholeLstmStep(gi, h, c!, w.wHh, w.bHh, w.peep.ci, w.peep.cf, w.peep.co) : lstmStep(gi, h, c!, w.wHh, w.bHh);
    return w.wHr ? { h: linear(r.h, w.wHr), c: r.c } : r;
  }
}

/** Gated recurrent unit (torch.nn.GRU); the step equations are GRUCell's. */
export class GRU extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super("GRU", inputSize, hiddenSize, options);
  }

  protected cellStep(gi: Tensor, h: Tensor, _c: Tensor | null, w: DirectionWeights): { h: Tensor; c: null } {
    return { h: gruStep(gi, h, w.wHh, w.bHh), c: null };
  }
}
