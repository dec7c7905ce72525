/**
 * The peephole LSTM of the lectures (Gers & Schmidhuber 2000; Graves 2013, "Generating
 * Sequences"): the gates also look at the cell state. As in Graves, the cell-to-gate weights are
 * diagonal, i.e. one weight per unit (vectors weight_ci, weight_cf, weight_co of [hidden]):
 *
 *   i  = σ(W_xi x + W_hi h + w_ci⊙c + b_i)
 *   f  = σ(W_xf x + W_hf h + w_cf⊙c + b_f)
 *   c' = f⊙c + i⊙tanh(W_xc x + W_hc h + b_c)
 *   o  = σ(W_xo x + W_ho h + w_co⊙c' + b_o)      (the output gate reads the NEW cell)
 *   h' = o⊙tanh(c')
 *
 * The x and h weights are stored as in LSTMCell (weight_ih, weight_hh, bias_ih, bias_hh, gate
 * order i, f, g, o), so with zero peephole weights this is exactly LSTMCell. PyTorch has no
 * peephole LSTM; the peephole weights are initialised U(±1/√hidden) like the others.
 */
import type { Tensor } from "../../tensor/tensor.js";
import { linear } from "../../ops/matmul.js";
import type { Parameter } from "../parameter.js";
import { CellBase, type RNNCellOptions } from "./cells.js";
import { recurrentParam } from "./params.js";
import { peepholeLstmStep } from "./steps.js";

export class PeepholeLSTMCell extends CellBase {
  weight_ci: Parameter;
  weight_cf: Parameter;
  weight_co: Parameter;

  constructor(inputSize: number, hiddenSize: number, options: Omit<RNNCellOptions, "nonlinearity"> = {}) {
    super(inputSize, hiddenSize, 4, options);
    const dtype = options.dtype ?? "float32";
    this.weight_ci = recurrentParam([hiddenSize], hiddenSize, dtype);
    this.weight_cf = recurrentParam([hiddenSize], hiddenSize, dtype);
    this.weight_co = recurrentParam([hiddenSize], hiddenSize, dtype);
  }

  step(x: Tensor, state: { h?: Tensor; c?: Tensor } = {}): { h: Tensor; c: Tensor } {
    const p = this.prepare(x, [state.h, state.c]);
    const gi = linear(p.x, this.weight_ih, this.bias_ih);
    const r = peepholeLstmStep(gi, p.states[0], p.states[1], this.weight_hh, this.bias_hh, this.weight_ci, this.weight_cf, this.weight_co);
    return p.unbatched ? { h: r.h.squeeze(0), c: r.c.squeeze(0) } : r;
  }

  forward(x: Tensor, h?: Tensor, c?: Tensor): Tensor {
    return this.step(x, { h, c }).h;
  }
}
