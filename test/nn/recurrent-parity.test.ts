/**
 * Parity with PyTorch for the recurrent layers (test/fixtures/rnn.json, made by
 * tools/fixtures_rnn.py): each case builds the layer in float64, loads PyTorch's state dict
 * unchanged (so the key lists and shapes must match PyTorch's), runs it, back-propagates
 * sum(output·gradOutput) + sum(hN·gradHN) + sum(cN·gradCN) and compares the output, the final
 * states and the gradients of x, h0, c0 and every parameter.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, type Tensor } from "../../src/index.js";
import { assertClose, fixtureTensor, loadCases, type FixtureTensor, type OpCase } from "../helpers/fixtures.js";

const TOL = { rtol: 1e-9, atol: 1e-10 };

interface RnnCase extends OpCase {
  hN?: FixtureTensor;
  cN?: FixtureTensor;
  gradHN?: FixtureTensor;
  gradCN?: FixtureTensor;
}

const STATE_INPUTS = new Set(["x", "h0", "c0"]);

function build(c: RnnCase): nn.Module {
  const a = c.args as Record<string, unknown>;
  const dtype = "float64" as const;
  const I = a.inputSize as number;
  const H = a.hiddenSize as number;
  const bias = a.bias as boolean;
  const nonlinearity = (a.nonlinearity ?? "tanh") as "tanh" | "relu";
  const seq = { numLayers: a.numLayers as number, batchFirst: a.batchFirst as boolean, bidirectional: a.bidirectional as boolean, bias, dtype };
  switch (a.module) {
    case "RNNCell": return new nn.RNNCell(I, H, { bias, nonlinearity, dtype });
    case "LSTMCell": return new nn.LSTMCell(I, H, { bias, dtype });
    case "GRUCell": return new nn.GRUCell(I, H, { bias, dtype });
    case "RNN": return new nn.RNN(I, H, { ...seq, nonlinearity });
    case "LSTM": return new nn.LSTM(I, H, { ...seq, projSize: (a.projSize ?? 0) as number });
    case "GRU": return new nn.GRU(I, H, seq);
    default: throw new Error(`${c.name}: no Tessera module for ${String(a.module)}`);
  }
}

function runCase(c: RnnCase): void {
  const m = build(c);
  const pytorchKeys = Object.keys(c.inputs).filter((k) => !STATE_INPUTS.has(k));
  assert.deepEqual([...m.stateDict().keys()], pytorchKeys, `${c.name}: state-dict keys (and order) differ from PyTorch's`);
  const state = new Map<string, Tensor>(pytorchKeys.map((k) => [k, fixtureTensor(c.inputs[k])]));
  m.loadStateDict(state);

  const x = fixtureTensor(c.inputs.x, { requiresGrad: true });
  const h0 = fixtureTensor(c.inputs.h0, { requiresGrad: true });
  const c0 = c.inputs.c0 ? fixtureTensor(c.inputs.c0, { requiresGrad: true }) : undefined;
  let output: Tensor;
  let hN: Tensor | undefined;
  let cN: Tensor | undefined;
  if (c.op === "rnnCell") {
    if (m instanceof nn.LSTMCell) ({ h: output, c: cN } = m.step(x, { h: h0, c: c0 }));
    else output = m.forward(x, h0);
  } else {
    const lengths = c.args.lengths as number[] | null;
    ({ output, hN, cN } = (m as nn.RNN).run(x, { h0, c0, lengths: lengths ?? undefined }));
  }
  assertClose(output, c.output, TOL, `${c.name} output`);
  if (c.hN) assertClose(hN!, c.hN, TOL, `${c.name} hN`);
  if (c.cN) assertClose(cN!, c.cN, TOL, `${c.name} cN`);

  let loss = output.mul(fixtureTensor(c.gradOutput)).sum();
  if (c.gradHN) loss = loss.add(hN!.mul(fixtureTensor(c.gradHN)).sum());
  if (c.gradCN) loss = loss.add(cN!.mul(fixtureTensor(c.gradCN)).sum());
  loss.backward();
  assertClose(x.grad!, c.grads.x, TOL, `${c.name} grad x`);
  assertClose(h0.grad!, c.grads.h0, TOL, `${c.name} grad h0`);
  if (c0) assertClose(c0.grad!, c.grads.c0, TOL, `${c.name} grad c0`);
  const own = m.stateDict();
  for (const k of pytorchKeys) assertClose(own.get(k)!.grad!, c.grads[k], TOL, `${c.name} grad ${k}`);
}

describe("parity with PyTorch: rnn.json", () => {
  const cases = loadCases("rnn") as RnnCase[];
  test("the file covers every layer with unique case names", () => {
    assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
    assert.deepEqual([...new Set(cases.map((c) => c.args.module))].sort(), ["GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "RNNCell"]);
  });
  for (const c of cases) test(c.name, () => runCase(c));
});
