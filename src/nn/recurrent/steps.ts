/**
 * One time step of each recurrent cell, as plain functions of tensors, composed from
 * differentiable ops (linear, sigmoid, tanh, relu, narrow, mul, add) so autograd and both
 * backends work with no recurrent kernel. The input projection `gi = x·W_ihᵀ + b_ih` is passed
 * in already computed: the sequence layers compute it for every time step in one matmul.
 * Gate blocks are stacked along the rows of the weights in PyTorch's order (LSTM i, f, g, o;
 * GRU r, z, n), so PyTorch weights load unchanged.
 */
import type { Tensor } from "../../tensor/tensor.js";
import { linear } from "../../ops/matmul.js";

export type RecurrentNonlinearity = "tanh" | "relu";

/** Gate block k (of width `hidden`) along the last dimension of `gates`. */
export function gate(gates: Tensor, k: number, hidden: number): Tensor {
  return gates.narrow(gates.ndim - 1, k * hidden, hidden);
}

/** Elman step: h' = act(gi + W_hh·h + b_hh), act = tanh or relu. */
export function rnnStep(gi: Tensor, h: Tensor, wHh: Tensor, bHh: Tensor | null, nonlinearity: RecurrentNonlinearity): Tensor {
  const pre = gi.add(linear(h, wHh, bHh));
  return nonlinearity === "tanh" ? pre.tanh() : pre.relu();
}

/**
 * LSTM step: gates = gi + W_hh·h + b_hh split as i, f, g, o;
 * c' = σ(f)⊙c + σ(i)⊙tanh(g), h' = σ(o)⊙tanh(c').
 */
export function lstmStep(gi: Tensor, h: Tensor, c: Tensor, wHh: Tensor, bHh: Tensor | null): { h: Tensor; c: Tensor } {
  const H = c.shape[c.ndim - 1]; // h may be narrower (LSTM projSize)
  const gates = gi.add(linear(h, wHh, bHh));
  const i = gate(gates, 0, H).sigmoid();
  const f = gate(gates, 1, H).sigmoid();
  const g = gate(gates, 2, H).tanh();
  const o = gate(gates, 3, H).sigmoid();
  const cNext = f.mul(c).add(i.mul(g));
  return { h: o.mul(cNext.tanh()), c: cNext };
}

/**
 * GRU step (PyTorch's variant: r gates the already-projected hidden state, including b_hn):
 * r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r⊙gh_n), h' = (1 − z)⊙n + z⊙h,
 * with gh = W_hh·h + b_hh.
 */
export function gruStep(gi: Tensor, h: Tensor, wHh: Tensor, bHh: Tensor | null): Tensor {
  const H = h.shape[h.ndim - 1];
  const gh = linear(h, wHh, bHh);
  const r = gate(gi, 0, H).add(gate(gh, 0, H)).sigmoid();
  const z = gate(gi, 1, H).add(gate(gh, 1, H)).sigmoid();
  const n = gate(gi, 2, H).add(r.mul(gate(gh, 2, H))).tanh();
  // (1 − z)⊙n + z⊙h = n + z⊙(h − n)
  return n.add(z.mul(h.sub(n)));
}

/**
 * Peephole LSTM step (the lectures' LSTM node; Graves 2013): the gates also read the cell
 * through diagonal weights w_ci, w_cf, w_co (one per unit):
 * i = σ(gi_i + gh_i + w_ci⊙c), f = σ(gi_f + gh_f + w_cf⊙c), g = tanh(gi_g + gh_g),
 * c' = f⊙c + i⊙g, o = σ(gi_o + gh_o + w_co⊙c'), h' = o⊙tanh(c').
 */
export function peepholeLstmStep(
  gi: Tensor, h: Tensor, c: Tensor, wHh: Tensor, bHh: Tensor | null, wCi: Tensor, wCf: Tensor, wCo: Tensor,
): { h: Tensor; c: Tensor } {
  const H = c.shape[c.ndim - 1]; // h may be narrower (LSTM projSize)
  const gates = gi.add(linear(h, wHh, bHh));
  const i = gate(gates, 0, H).add(c.mul(wCi)).sigmoid();
  const f = gate(gates, 1, H).add(c.mul(wCf)).sigmoid();
  const g = gate(gates, 2, H).tanh();
  const cNext = f.mul(c).add(i.mul(g));
  const o = gate(gates, 3, H).add(cNext.mul(wCo)).sigmoid();
  return { h: o.mul(cNext.tanh()), c: cNext };
}
