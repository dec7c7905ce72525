/**
 * Recurrent layers beyond the PyTorch fixtures (test/nn/recurrent-parity.test.ts): gradcheck of
 * every cell in float64 (weights included), the peephole LSTM's equations, PyTorch's parameter
 * names / shapes / init range, variable-length batches against running each sequence alone,
 * dropout between layers (train vs eval), truncated BPTT with detach and gradient clipping,
 * unbatched input, and the error messages.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { gradcheck, manualSeed, nn, optim, tensor, zeros, type Tensor } from "../../src/index.js";
import { linear } from "../../src/ops/matmul.js";
import { cat } from "../../src/ops/shape.js";
import { gruStep, lstmStep, peepholeLstmStep, rnnStep } from "../../src/nn/recurrent/steps.js";
import { rand64, f64, i32 } from "../helpers/tensors.js";

const dtype = "float64" as const;

function assertAllClose(a: Tensor, b: Tensor, tol: number, label: string): void {
  assert.deepEqual([...a.shape], [...b.shape], `${label}: shapes [${a.shape}] vs [${b.shape}]`);
  const x = a.data();
  const y = b.data();
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= tol, `${label}: element ${i} is ${x[i]}, expected ${y[i]}`);
}

describe("recurrent cells: gradcheck in float64 (input, states and every weight)", () => {
  const B = 2, I = 3, H = 2;
  test("RNN step, tanh and relu", () => {
    manualSeed(1);
    for (const act of ["tanh", "relu"] as const) {
      const inputs = [rand64([B, I]), rand64([B, H]), rand64([H, I]), rand64([H, H]), rand64([H]), rand64([H])];
      assert.equal(gradcheck((x, h, wi, wh, bi, bh) => rnnStep(linear(x, wi, bi), h, wh, bh, act), inputs), true);
    }
  });
  test("LSTM step (h' and c')", () => {
    manualSeed(2);
    const inputs = [rand64([B, I]), rand64([B, H]), rand64([B, H]), rand64([4 * H, I]), rand64([4 * H, H]), rand64([4 * H]), rand64([4 * H])];
    assert.equal(gradcheck((x, h, c, wi, wh, bi, bh) => { const r = lstmStep(linear(x, wi, bi), h, c, wh, bh); return cat([r.h, r.c], 1); }, inputs), true);
  });
  test("GRU step", () => {
    manualSeed(3);
    const inputs = [rand64([B, I]), rand64([B, H]), rand64([3 * H, I]), rand64([3 * H, H]), rand64([3 * H]), rand64([3 * H])];
    assert.equal(gradcheck((x, h, wi, wh, bi, bh) => gruStep(linear(x, wi, bi), h, wh, bh), inputs), true);
  });
  test("peephole LSTM step (h' and c'), peephole weights included", () => {
    manualSeed(4);
    const inputs = [rand64([B, I]), rand64([B, H]), rand64([B, H]), rand64([4 * H, I]), rand64([4 * H, H]), rand64([4 * H]), rand64([4 * H]), rand64([H]), rand64([H]), rand64([H])];
    const fn = (x: Tensor, h: Tensor, c: Tensor, wi: Tensor, wh: Tensor, bi: Tensor, bh: Tensor, ci: Tensor, cf: Tensor, co: Tensor) => {
      const r = peepholeLstmStep(linear(x, wi, bi), h, c, wh, bh, ci, cf, co);
      return cat([r.h, r.c], 1);
    };
    assert.equal(gradcheck(fn as (...t: Tensor[]) => Tensor, inputs), true);
  });
  test("the cell modules, through their public forward / step", () => {
    manualSeed(5);
    const rnn = new nn.RNNCell(I, H, { dtype });
    const gru = new nn.GRUCell(I, H, { dtype });
    const lstm = new nn.LSTMCell(I, H, { dtype });
    const peep = new nn.PeepholeLSTMCell(I, H, { dtype });
    assert.equal(gradcheck((x, h) => rnn.forward(x, h), [rand64([B, I]), rand64([B, H])]), true);
    assert.equal(gradcheck((x, h) => gru.forward(x, h), [rand64([B, I]), rand64([B, H])]), true);
    assert.equal(gradcheck((x, h, c) => lstm.step(x, { h, c }).c, [rand64([B, I]), rand64([B, H]), rand64([B, H])]), true);
    assert.equal(gradcheck((x, h, c) => peep.forward(x, h, c), [rand64([B, I]), rand64([B, H]), rand64([B, H])]), true);
  });
  test("a bidirectional 2-layer LSTM over a padded batch", () => {
    manualSeed(6);
    const m = new nn.LSTM(2, 2, { numLayers: 2, bidirectional: true, dtype });
    const f = (x: Tensor, h0: Tensor) => { const r = m.run(x, { h0, lengths: [3, 1] }); return cat([r.output.reshape([-1]), r.hN.reshape([-1]), r.cN!.reshape([-1])], 0); };
    assert.equal(gradcheck(f, [rand64([3, 2, 2]), rand64([4, 2, 2])]), true);
  });
});

describe("PeepholeLSTMCell", () => {
  test("with zero peephole weights it is exactly LSTMCell", () => {
    manualSeed(7);
    const peep = new nn.PeepholeLSTMCell(3, 4, { dtype });
    const plain = new nn.LSTMCell(3, 4, { dtype });
    plain.loadStateDict(new Map([...peep.stateDict()].filter(([k]) => !k.startsWith("weight_c"))));
    for (const w of [peep.weight_ci, peep.weight_cf, peep.weight_co]) w.copy_(zeros([4], { dtype }));
    const x = rand64([2, 3], { requiresGrad: false });
    const h = rand64([2, 4], { requiresGrad: false });
    const c = rand64([2, 4], { requiresGrad: false });
    const a = peep.step(x, { h, c });
    const b = plain.step(x, { h, c });
    assertAllClose(a.h, b.h, 0, "h");
    assertAllClose(a.c, b.c, 0, "c");
  });
  test("one unit by hand: the gates read c, the output gate reads the new c'", () => {
    const m = new nn.PeepholeLSTMCell(1, 1, { dtype });
    m.weight_ih.copy_(f64([[0.5], [-0.3], [0.8], [0.2]]));
    m.weight_hh.copy_(f64([[0.1], [0.4], [-0.6], [0.7]]));
    m.bias_ih!.copy_(f64([0.05, 0.1, -0.2, 0.3]));
    m.bias_hh!.copy_(f64([0, 0, 0, 0]));
    m.weight_ci.copy_(f64([0.9])); m.weight_cf.copy_(f64([-0.5])); m.weight_co.copy_(f64([1.3]));
    const [x, h, c] = [0.7, -0.2, 0.4];
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    const i = s(0.5 * x + 0.1 * h + 0.05 + 0.9 * c);
    const f = s(-0.3 * x + 0.4 * h + 0.1 - 0.5 * c);
    const g = Math.tanh(0.8 * x - 0.6 * h - 0.2);
    const c1 = f * c + i * g;
    const o = s(0.2 * x + 0.7 * h + 0.3 + 1.3 * c1);
    const r = m.step(f64([[x]]), { h: f64([[h]]), c: f64([[c]]) });
    assert.ok(Math.abs(r.c.item() - c1) < 1e-14, `c' ${r.c.item()} vs ${c1}`);
    assert.ok(Math.abs(r.h.item() - o * Math.tanh(c1)) < 1e-14, `h' ${r.h.item()} vs ${o * Math.tanh(c1)}`);
  });
});

describe("sequence layers: names, shapes, init", () => {
  test("a 2-layer bidirectional GRU has PyTorch's keys and shapes", () => {
    const m = new nn.GRU(3, 5, { numLayers: 2, bidirectional: true });
    const shapes = [...m.stateDict()].map(([k, t]) => `${k}:${t.shape.join("x")}`);
    const expected: string[] = [];
    for (const l of [0, 1]) for (const sfx of ["", "_reverse"]) {
      const inSize = l === 0 ? 3 : 10;
      expected.push(`weight_ih_l${l}${sfx}:15x${inSize}`, `weight_hh_l${l}${sfx}:15x5`, `bias_ih_l${l}${sfx}:15`, `bias_hh_l${l}${sfx}:15`);
    }
    assert.deepEqual(shapes, expected);
    assert.deepEqual([...new nn.LSTM(2, 3, { bias: false }).stateDict().keys()], ["weight_ih_l0", "weight_hh_l0"]);
  });
  test("every parameter is drawn from U(±1/√hidden) and not constant", () => {
    manualSeed(8);
    for (const m of [new nn.LSTM(3, 16, { numLayers: 2 }), new nn.GRUCell(3, 16), new nn.RNNCell(5, 16)]) {
      for (const [k, p] of m.namedParameters()) {
        const v = Array.from(p.data());
        assert.ok(v.every((a) => Math.abs(a) <= 0.25), `${k} outside ±0.25`);
        assert.ok(Math.max(...v) > 0.1 && Math.min(...v) < -0.1, `${k} does not fill the range`);
      }
    }
  });
  test("output and state shapes; batchFirst transposes only the output; forward is run().output", () => {
    manualSeed(9);
    const m = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true });
    const x = rand64([2, 5, 3], { requiresGrad: false }).float();
    const r = m.run(x);
    assert.deepEqual(r.output.shape, [2, 5, 8]);
    assert.deepEqual(r.hN.shape, [4, 2, 4]);
    assert.deepEqual(r.cN!.shape, [4, 2, 4]);
    assertAllClose(m.forward(x), r.output, 0, "forward");
  });
  test("unbatched input [T, input] equals a batch of one", () => {
    manualSeed(10);
    const m = new nn.GRU(3, 4, { numLayers: 2, bidirectional: true, dtype });
    const x = rand64([5, 3], { requiresGrad: false });
    const h0 = rand64([4, 4], { requiresGrad: false });
    const a = m.run(x, { h0 });
    const b = m.run(x.unsqueeze(1), { h0: h0.unsqueeze(1) });
    assertAllClose(a.output, b.output.squeeze(1), 1e-15, "output");
    assertAllClose(a.hN, b.hN.squeeze(1), 1e-15, "hN");
  });
});

describe("variable-length batches (lengths)", () => {
  for (const kind of ["RNN", "LSTM", "GRU"] as const) {
    test(`${kind}: each padded sequence gives what it gives alone; padding never leaks`, () => {
      manualSeed(11);
      const ctor = { RNN: nn.RNN, LSTM: nn.LSTM, GRU: nn.GRU }[kind];
      const m = new ctor(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true, dtype });
      const lengths = [5, 2, 4];
      const x = rand64([3, 5, 3], { requiresGrad: false });
      // Garbage in the padding: it must not change anything.
      const data = Float64Array.from(x.data());
      lengths.forEach((len, b) => { for (let t = len; t < 5; t++) for (let k = 0; k < 3; k++) data[(b * 5 + t) * 3 + k] = 1e3; });
      const padded = tensor(data, { shape: [3, 5, 3], dtype });
      const h0 = rand64([4, 3, 4], { requiresGrad: false });
      const c0 = rand64([4, 3, 4], { requiresGrad: false });
      const full = m.run(padded, { h0, c0: kind === "LSTM" ? c0 : undefined, lengths: i32(lengths) });
      lengths.forEach((len, b) => {
        const alone = m.run(padded.narrow(0, b, 1).narrow(1, 0, len), { h0: h0.narrow(1, b, 1), c0: kind === "LSTM" ? c0.narrow(1, b, 1) : undefined });
        assertAllClose(full.output.narrow(0, b, 1).narrow(1, 0, len), alone.output, 1e-14, `${kind} output of sequence ${b}`);
        assertAllClose(full.hN.narrow(1, b, 1), alone.hN, 1e-14, `${kind} hN of sequence ${b}`);
        if (kind === "LSTM") assertAllClose(full.cN!.narrow(1, b, 1), alone.cN!, 1e-14, `cN of sequence ${b}`);
        if (len < 5) assert.ok(Array.from(full.output.narrow(0, b, 1).narrow(1, len, 5 - len).data()).every((v) => v === 0), `padded outputs of ${b} are zero`);
      });
    });
  }
  test("the padding gets no gradient", () => {
    const m = new nn.GRU(2, 3, { bidirectional: true, dtype });
    const x = rand64([4, 2, 2]);
    m.run(x, { lengths: [4, 2] }).output.sum().backward();
    const g = x.grad!.data();
    for (const t of [2, 3]) for (const k of [0, 1]) assert.equal(g[(t * 2 + 1) * 2 + k], 0);
    assert.ok(Math.abs(g[(1 * 2 + 1) * 2]) > 0);
  });
  test("bad lengths are rejected", () => {
    const m = new nn.RNN(2, 3);
    const x = zeros([4, 2, 2]);
    assert.throws(() => m.run(x, { lengths: [4] }), /lengths has 1 entries but the batch holds 2/);
    assert.throws(() => m.run(x, { lengths: [5, 1] }), /integer in \[1, 4\].*got 5/);
    assert.throws(() => m.run(x, { lengths: [0, 1] }), /got 0/);
  });
});

describe("dropout between layers", () => {
  test("active in training only, and only between layers", () => {
    manualSeed(12);
    const m = new nn.LSTM(3, 8, { numLayers: 2, dropout: 0.5, dtype });
    const x = rand64([4, 2, 3], { requiresGrad: false });
    const evalOut = m.eval().forward(x);
    assertAllClose(m.forward(x), evalOut, 0, "eval is deterministic");
    const trainOut = m.train().forward(x);
    assert.ok(Array.from(trainOut.data()).some((v, i) => Math.abs(v - evalOut.data()[i]) > 1e-6), "training output differs");
    const single = new nn.GRU(3, 4, { dropout: 0.5, dtype });
    assertAllClose(single.train().forward(x), single.eval().forward(x), 0, "one layer: no dropout anywhere");
  });
});

describe("truncated backpropagation through time", () => {
  test("detached states carry the forward across chunks but cut the gradient; clipping works", () => {
    manualSeed(13);
    const m = new nn.LSTM(2, 3, { dtype });
    const whole = rand64([6, 1, 2], { requiresGrad: false });
    const ref = m.run(whole);
    const chunks = [whole.narrow(0, 0, 3).detach().requiresGrad_(), whole.narrow(0, 3, 3).detach().requiresGrad_()];
    let state: { h0?: Tensor; c0?: Tensor } = {};
    const outs: Tensor[] = [];
    const opt = new optim.SGD(m.parameters(), { lr: 0.0 });
    for (const chunk of chunks) {
      opt.zeroGrad();
      const r = m.run(chunk, state);
      outs.push(r.output);
      r.output.sum().backward();
      const norm = optim.clipGradNorm(m.parameters(), 0.01);
      assert.ok(norm > 0.01, "the unclipped norm is returned");
      const after = Math.sqrt(m.parameters().reduce((s, p) => s + Array.from(p.grad!.data()).reduce((a, v) => a + v * v, 0), 0));
      assert.ok(Math.abs(after - 0.01) < 1e-6, `clipped norm ${after}`);
      opt.step();
      state = { h0: r.hN.detach(), c0: r.cN!.detach() };
    }
    assertAllClose(cat(outs, 0), ref.output, 1e-15, "chunked forward equals the whole");
    assert.ok(chunks[0].grad, "the first chunk got its own gradient");
    const g0 = Array.from(chunks[0].grad!.data());
    // The second backward did not reach the first chunk (lr 0: same weights): its gradient is the first loss's alone.
    const x0 = chunks[0].detach().requiresGrad_();
    m.run(x0).output.sum().backward();
    assert.deepEqual(Array.from(x0.grad!.data()), g0);
    // Without the detach the second chunk's loss does reach the first chunk.
    const a = chunks[0].detach().requiresGrad_();
    const b = chunks[1].detach().requiresGrad_();
    const first = m.run(a);
    m.run(b, { h0: first.hN, c0: first.cN }).output.sum().backward();
    assert.ok(Array.from(a.grad!.data()).some((v) => v !== 0), "without detach the gradient flows back");
  });
});

describe("LSTM options: peephole and projSize", () => {
  test("peephole: extra keys per direction; the step is PeepholeLSTMCell's, looped over time", () => {
    manualSeed(14);
    const m = new nn.LSTM(3, 4, { peephole: true, bidirectional: true, dtype });
    const keys = [...m.stateDict().keys()];
    assert.deepEqual(keys.filter((k) => k.startsWith("weight_c")), ["weight_ci_l0", "weight_cf_l0", "weight_co_l0", "weight_ci_l0_reverse", "weight_cf_l0_reverse", "weight_co_l0_reverse"]);
    const cell = new nn.PeepholeLSTMCell(3, 4, { dtype });
    cell.loadStateDict(new Map(keys.filter((k) => !k.endsWith("_reverse")).map((k) => [k.replace("_l0", ""), m.stateDict().get(k)!])));
    const x = rand64([5, 2, 3], { requiresGrad: false });
    const r = m.run(x);
    let state = { h: zeros([2, 4], { dtype }), c: zeros([2, 4], { dtype }) };
    for (let t = 0; t < 5; t++) {
      state = cell.step(x.narrow(0, t, 1).squeeze(0), state);
      assertAllClose(r.output.narrow(0, t, 1).squeeze(0).narrow(1, 0, 4), state.h, 1e-15, `forward direction at t=${t}`);
    }
    assertAllClose(r.cN!.narrow(0, 0, 1).squeeze(0), state.c, 1e-15, "cN");
  });
  test("peephole LSTM sequence: gradcheck with lengths and 2 layers", () => {
    manualSeed(15);
    const m = new nn.LSTM(2, 2, { peephole: true, numLayers: 2, dtype });
    const f = (x: Tensor, h0: Tensor, c0: Tensor) => { const r = m.run(x, { h0, c0, lengths: [2, 3] }); return cat([r.output.reshape([-1]), r.cN!.reshape([-1])], 0); };
    assert.equal(gradcheck(f, [rand64([3, 2, 2]), rand64([2, 2, 2]), rand64([2, 2, 2])]), true);
  });
  test("projSize must be smaller than hiddenSize", () => {
    assert.throws(() => new nn.LSTM(3, 4, { projSize: 4 }), /LSTM: projSize must be an integer in \[0, hiddenSize = 4\), got 4/);
    const m = new nn.LSTM(3, 4, { projSize: 2, numLayers: 2 });
    assert.throws(() => m.run(zeros([5, 2, 3]), { h0: zeros([2, 2, 4]) }), /h0 must be \[2,2,2\]/);
    const r = m.run(zeros([5, 2, 3]));
    assert.deepEqual([r.output.shape, r.hN.shape, r.cN!.shape], [[5, 2, 2], [2, 2, 2], [2, 2, 4]]);
  });
});

describe("errors name the layer, the shape and the rule", () => {
  test("construction", () => {
    assert.throws(() => new nn.RNN(3, 0), /RNN: hiddenSize must be a positive integer, got 0/);
    assert.throws(() => new nn.RNN(3, 4, { nonlinearity: "sigmoid" as "tanh" }), /nonlinearity must be "tanh" or "relu"/);
    assert.throws(() => new nn.LSTM(3, 4, { dropout: 1.5 }), /LSTM: dropout must be a probability/);
    assert.throws(() => new nn.GRUCell(0, 4), /GRUCell: inputSize must be a positive integer/);
    assert.throws(() => new nn.GRU(3, 4, { peephole: true } as nn.LSTMOptions), /GRU: projSize and peephole are LSTM options/);
  });
  test("forward", () => {
    const lstm = new nn.LSTM(3, 4, { numLayers: 2 });
    assert.throws(() => lstm.forward(zeros([5, 2, 7])), /LSTM: input must be \[T, batch, 3\] .*got \[5,2,7\]/);
    assert.throws(() => lstm.run(zeros([5, 2, 3]), { h0: zeros([1, 2, 4]) }), /h0 must be \[2,2,4\].*got \[1,2,4\]/);
    assert.throws(() => new nn.GRU(3, 4).run(zeros([5, 2, 3]), { c0: zeros([1, 2, 4]) }), /c0 is an LSTM state/);
    assert.throws(() => new nn.LSTMCell(3, 4).forward(zeros([2, 3]), zeros([3, 4])), /LSTMCell: state 0 must be \[2,4\].*got \[3,4\]/);
    assert.throws(() => new nn.RNNCell(3, 4).forward(zeros([2, 5])), /RNNCell: input must be \[batch, 3\] or \[3\], got \[2,5\]/);
  });
});
