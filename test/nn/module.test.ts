/**
 * nn.Module: discovery of parameters, buffers and submodules (PyTorch names and order), state
 * dicts, train/eval, zeroGrad, parameter counts, Sequential naming and the printed summary.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, models, Tensor, tensor, zeros, ones, arange, ShapeError, TesseraError } from "../../src/index.js";

const { Module, Parameter, Linear, Conv2d, Sequential, ReLU, Flatten } = nn;

/** A block with a child module, a buffer and an own parameter (assigned in that order). */
class Block extends Module {
  conv = new Conv2d(2, 3, 3, { padding: 1 });
  runningMean = zeros([3]);
  gammaScale = new Parameter(ones([3]));

  forward(x: Tensor): Tensor {
    return this.conv.forward(x).sub(this.runningMean.reshape([1, 3, 1, 1])).mul(this.gammaScale.reshape([1, 3, 1, 1]));
  }
}

/** Nested submodule, own parameter after it, an array of submodules, two buffers. */
class Net extends Module {
  stem = new Block();
  outputScale = new Parameter(tensor([2]));
  heads: nn.Linear[] = [new Linear(3, 4), new Linear(4, 2, { bias: false })];
  runningMean = zeros([2]);
  runningVar = ones([2]);

  forward(x: Tensor): Tensor {
    let y = this.stem.forward(x).mean([2, 3]); // [N, 3]
    for (const h of this.heads) y = h.forward(y);
    return y.mul(this.outputScale);
  }
}

const PARAM_NAMES = [
  "output_scale",
  "stem.gamma_scale",
  "stem.conv.weight",
  "stem.conv.bias",
  "heads.0.weight",
  "heads.0.bias",
  "heads.1.weight",
];

const STATE_KEYS = [
  "output_scale",
  "running_mean",
  "running_var",
  "stem.gamma_scale",
  "stem.running_mean",
  "stem.conv.weight",
  "stem.conv.bias",
  "heads.0.weight",
  "heads.0.bias",
  "heads.1.weight",
];

const SHAPES: Record<string, number[]> = {
  output_scale: [1],
  running_mean: [2],
  running_var: [2],
  "stem.gamma_scale": [3],
  "stem.running_mean": [3],
  "stem.conv.weight": [3, 2, 3, 3],
  "stem.conv.bias": [3],
  "heads.0.weight": [4, 3],
  "heads.0.bias": [4],
  "heads.1.weight": [2, 4],
};

/** Distinct, recognisable values for every key: key index k → k*100 + 0, 1, 2, ... */
function numberedState(keys: string[]): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  keys.forEach((k, i) => {
    const shape = SHAPES[k];
    const n = shape.reduce((a, b) => a * b, 1);
    out.set(k, arange(0, n, 1, { dtype: "float32" }).add(i * 100).reshape(shape));
  });
  return out;
}

function expectedValues(keyIndex: number, n: number): number[] {
  return Array.from({ length: n }, (_, j) => keyIndex * 100 + j);
}

describe("Module discovery", () => {
  test("stateKey turns camelCase into snake_case", () => {
    assert.equal(nn.stateKey("runningMean"), "running_mean");
    assert.equal(nn.stateKey("numBatchesTracked"), "num_batches_tracked");
    assert.equal(nn.stateKey("conv2Weight"), "conv2_weight");
    assert.equal(nn.stateKey("weight"), "weight");
  });

  test("namedParameters: PyTorch dotted names, own parameters first, then children in assignment order", () => {
    const net = new Net();
    const named = net.namedParameters();
    assert.deepEqual(named.map(([k]) => k), PARAM_NAMES);
    assert.deepEqual(named.map(([, p]) => [...p.shape]), PARAM_NAMES.map((k) => SHAPES[k]));
    assert.ok(named.every(([, p]) => p instanceof Parameter && p.requiresGrad));
    assert.equal(net.parameters()[2], net.stem.conv.weight);
    assert.equal(net.parameters()[6], net.heads[1].weight);
  });

  test("namedBuffers: plain tensor properties, snake_case", () => {
    const net = new Net();
    assert.deepEqual(net.namedBuffers().map(([k]) => k), ["running_mean", "running_var", "stem.running_mean"]);
    assert.equal(net.namedBuffers()[2][1], net.stem.runningMean);
  });

  test("namedModules / namedChildren: dotted paths, arrays indexed", () => {
    const net = new Net();
    assert.deepEqual(net.namedChildren().map(([k]) => k), ["stem", "heads.0", "heads.1"]);
    assert.deepEqual(net.namedModules().map(([k, m]) => `${k}:${m.constructor.name}`), [
      ":Net",
      "stem:Block",
      "stem.conv:Conv2d",
      "heads.0:Linear",
      "heads.1:Linear",
    ]);
    // The walk records each module's path for error messages.
    assert.equal(net.stem.conv.describe(), "stem.conv (Conv2d)");
    assert.equal(net.heads[1].describe(), "heads.1 (Linear)");
    assert.equal(net.describe(), "Net");
  });

  test("stateDict: parameters then buffers of each module, then its children, live tensors", () => {
    const net = new Net();
    const sd = net.stateDict();
    assert.deepEqual([...sd.keys()], STATE_KEYS);
    for (const k of STATE_KEYS) assert.deepEqual([...sd.get(k)!.shape], SHAPES[k], k);
    assert.equal(sd.get("stem.conv.weight"), net.stem.conv.weight);
    assert.equal(sd.get("running_var"), net.runningVar);
    assert.deepEqual([...sd.get("running_var")!.data()], [1, 1]);
  });
});

describe("loadStateDict", () => {
  test("copies every value into the existing parameters and buffers", () => {
    const net = new Net();
    const before = net.parameters();
    const state = numberedState(STATE_KEYS);
    net.loadStateDict(state);

    const sd = net.stateDict();
    STATE_KEYS.forEach((k, i) => {
      const t = sd.get(k)!;
      assert.deepEqual([...t.data()], expectedValues(i, t.numel), k);
    });
    // Same Parameter objects, still trainable; values copied, not aliased.
    assert.deepEqual(net.parameters(), before);
    assert.ok(net.parameters().every((p) => p.requiresGrad));
    assert.deepEqual([...net.stem.conv.bias!.data()], [600, 601, 602]);
    assert.deepEqual([...net.stem.runningMean.data()], [400, 401, 402]);
    state.get("stem.conv.bias")!.copy_(tensor([-1, -1, -1]));
    assert.deepEqual([...net.stem.conv.bias!.data()], [600, 601, 602]);
  });

  test("accepts a plain object and converts dtypes", () => {
    const net = new Net();
    const obj: Record<string, Tensor> = {};
    for (const [k, t] of numberedState(STATE_KEYS)) obj[k] = t.to("float64");
    net.loadStateDict(obj);
    assert.equal(net.heads[0].bias!.dtype, "float32");
    assert.deepEqual([...net.heads[0].bias!.data()], [800, 801, 802, 803]);
  });

  test("a state dict round-trips between two models", () => {
    const a = new Net();
    const b = new Net();
    b.loadStateDict(a.stateDict());
    for (const [k, t] of a.stateDict()) assert.deepEqual([...b.stateDict().get(k)!.data()], [...t.data()], k);
    const x = tensor(Array.from({ length: 2 * 2 * 4 * 4 }, (_, i) => Math.sin(i)), { shape: [2, 2, 4, 4] });
    assert.deepEqual([...b.forward(x).data()], [...a.forward(x).data()]);
  });

  test("strict: lists missing and unexpected keys", () => {
    const net = new Net();
    const state = numberedState(STATE_KEYS);
    state.delete("heads.0.bias");
    state.delete("running_var");
    state.set("heads.9.weight", zeros([2, 2]));
    assert.throws(
      () => net.loadStateDict(state),
      (e: unknown) => {
        assert.ok(e instanceof TesseraError);
        assert.match(e.message, /missing keys: running_var, heads\.0\.bias/);
        assert.match(e.message, /unexpected keys: heads\.9\.weight/);
        return true;
      },
    );
    // only missing
    const onlyMissing = numberedState(STATE_KEYS);
    onlyMissing.delete("stem.gamma_scale");
    assert.throws(() => net.loadStateDict(onlyMissing), (e: Error) => /missing keys: stem\.gamma_scale/.test(e.message) && !/unexpected/.test(e.message));
  });

  test("strict: false loads the keys present and ignores the rest", () => {
    const net = new Net();
    const biasBefore = [...net.heads[0].bias!.data()];
    const state = numberedState(STATE_KEYS);
    state.delete("heads.0.bias");
    state.set("extra.thing", zeros([1]));
    net.loadStateDict(state, { strict: false });
    assert.deepEqual([...net.heads[0].bias!.data()], biasBefore);
    assert.deepEqual([...net.heads[1].weight.data()], expectedValues(9, 8));
    assert.deepEqual([...net.outputScale.data()], [0]);
  });

  test("a shape mismatch names the key and both shapes", () => {
    const net = new Net();
    const state = numberedState(STATE_KEYS);
    state.set("stem.conv.weight", zeros([3, 2, 2, 2]));
    assert.throws(
      () => net.loadStateDict(state),
      (e: unknown) => {
        assert.ok(e instanceof ShapeError);
        assert.ok(e.message.includes("stem.conv.weight"), e.message);
        assert.ok(e.message.includes("[3,2,2,2]"), e.message);
        assert.ok(e.message.includes("[3,2,3,3]"), e.message);
        return true;
      },
    );
  });
});

describe("Module state and bookkeeping", () => {
  test("train()/eval() propagate to every descendant", () => {
    const net = new Net();
    assert.ok(net.modules().every((m) => m.training));
    assert.equal(net.eval(), net);
    assert.deepEqual(net.modules().map((m) => m.training), [false, false, false, false, false]);
    net.stem.train();
    assert.deepEqual(net.modules().map((m) => m.training), [false, true, true, false, false]);
    net.train();
    assert.deepEqual(net.modules().map((m) => m.training), [true, true, true, true, true]);
    net.train(false);
    assert.equal(net.heads[1].training, false);
    assert.equal(net.stem.conv.training, false);
  });

  test("zeroGrad clears every gradient after a backward", () => {
    const net = new Net();
    const x = tensor(Array.from({ length: 2 * 2 * 4 * 4 }, (_, i) => Math.cos(i)), { shape: [2, 2, 4, 4] });
    net.forward(x).sum().backward();
    const params = net.parameters();
    assert.ok(params.every((p) => p.grad !== null), "every parameter has a gradient after backward");
    // d sum / d outputScale = sum of the pre-scale outputs, = sum(out) / 2 with scale 2.
    const out = net.forward(x).sum().item();
    assert.ok(Math.abs(net.outputScale.grad!.item() - out / 2) < 1e-4 * Math.max(1, Math.abs(out)));
    net.zeroGrad();
    assert.ok(params.every((p) => p.grad === null));
    assert.equal(net.runningMean.grad, null);
  });

  test("numParameters counts elements, optionally trainable only", () => {
    const net = new Net();
    // 1 + 3 + (3*2*3*3 + 3) + (4*3 + 4) + 2*4
    assert.equal(net.numParameters(), 85);
    net.outputScale.requiresGrad = false;
    net.stem.gammaScale.requiresGrad = false;
    assert.equal(net.numParameters(), 85);
    assert.equal(net.numParameters({ trainableOnly: true }), 81);
  });

  test("a shared parameter is listed once (under its first name) but kept in the state dict", () => {
    class Tied extends Module {
      encoder = new Linear(3, 3);
      decoder = new Linear(3, 3);
      constructor() {
        super();
        this.decoder.weight = this.encoder.weight;
      }
      forward(x: Tensor): Tensor {
        return this.decoder.forward(this.encoder.forward(x));
      }
    }
    const m = new Tied();
    assert.deepEqual(m.namedParameters().map(([k]) => k), ["encoder.weight", "encoder.bias", "decoder.bias"]);
    assert.equal(m.parameters().length, 3);
    assert.equal(m.numParameters(), 9 + 3 + 3);
    assert.deepEqual([...m.stateDict().keys()], ["encoder.weight", "encoder.bias", "decoder.weight", "decoder.bias"]);
    assert.equal(m.stateDict().get("decoder.weight"), m.encoder.weight);
  });

  test("apply visits children before the parent", () => {
    const net = new Net();
    const order: string[] = [];
    net.apply((m) => order.push(m.constructor.name));
    assert.deepEqual(order, ["Conv2d", "Block", "Linear", "Linear", "Net"]);
  });
});

describe("Sequential", () => {
  test("children named 0, 1, ...; parameters under those names; forward chains", () => {
    const seq = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2, { bias: false }));
    assert.deepEqual(seq.namedChildren().map(([k]) => k), ["0", "1", "2"]);
    assert.deepEqual(seq.namedParameters().map(([k]) => k), ["0.weight", "0.bias", "2.weight"]);
    assert.equal(seq.length, 3);
    assert.ok(seq.at(-1) instanceof Linear);
    assert.ok(seq.at(1) instanceof ReLU);

    const l0 = seq.at(0) as nn.Linear;
    const l2 = seq.at(2) as nn.Linear;
    l0.weight.copy_(tensor([[1, 0, 0, 0], [0, -1, 0, 0], [1, 1, 1, 1]]));
    l0.bias!.copy_(tensor([0, 0, -10]));
    l2.weight.copy_(tensor([[1, 1, 1], [2, 0, -1]]));
    // x = [1, 2, 3, 4] → [1, -2, 0] → relu [1, 0, 0] → [1, 2]
    assert.deepEqual([...seq.forward(tensor([[1, 2, 3, 4]])).data()], [1, 2]);

    seq.append(new Linear(2, 1));
    assert.deepEqual(seq.namedParameters().map(([k]) => k), ["0.weight", "0.bias", "2.weight", "3.weight", "3.bias"]);
    assert.equal(seq.numParameters(), 12 + 3 + 6 + 2 + 1);
  });

  test("named-object form uses the keys; nesting gives dotted paths", () => {
    const seq = new Sequential({ conv1: new Conv2d(1, 2, 3), act: new ReLU(), head: new Sequential(new Flatten(), new Linear(8, 2)) });
    assert.deepEqual(seq.namedChildren().map(([k]) => k), ["conv1", "act", "head"]);
    assert.deepEqual(seq.namedParameters().map(([k]) => k), ["conv1.weight", "conv1.bias", "head.1.weight", "head.1.bias"]);
    assert.deepEqual([...seq.stateDict().keys()], ["conv1.weight", "conv1.bias", "head.1.weight", "head.1.bias"]);
    assert.deepEqual([...seq.forward(zeros([5, 1, 4, 4])).shape], [5, 2]);
    assert.equal((seq.at(2) as nn.Sequential).at(1).describe(), "head.1 (Linear)");
  });
});

describe("models", () => {
  test("LeNet5 toString: layer lines, per-layer counts and total 61,706 params", () => {
    const net = new models.LeNet5();
    const s = net.toString();
    const lines = s.split("\n");
    const expected = [
      "LeNet5(",
      "  (features): Sequential(",
      "    (0): Conv2d(1, 6, kernelSize=5, padding=2)  # 156 params",
      "    (1): ReLU()",
      "    (2): MaxPool2d(kernelSize=2, stride=2)",
      "    (3): Conv2d(6, 16, kernelSize=5)  # 2,416 params",
      "    (4): ReLU()",
      "    (5): MaxPool2d(kernelSize=2, stride=2)",
      "  )  # 2,572 params",
      "  (classifier): Sequential(",
      "    (0): Flatten()",
      "    (1): Linear(400 => 120)  # 48,120 params",
      "    (2): ReLU()",
      "    (3): Linear(120 => 84)  # 10,164 params",
      "    (4): ReLU()",
      "    (5): Linear(84 => 10)  # 850 params",
      "  )  # 59,134 params",
      ")  # 61,706 params",
    ];
    for (const line of expected) assert.ok(lines.includes(line), `missing line ${JSON.stringify(line)} in\n${s}`);
    assert.equal(lines[lines.length - 1], ")  # 61,706 params");
    assert.equal(net.numParameters(), 61706);
    assert.equal(156 + 2416 + 48120 + 10164 + 850, 61706);
    assert.deepEqual(net.namedParameters().map(([k, p]) => `${k}:${p.numel}`), [
      "features.0.weight:150",
      "features.0.bias:6",
      "features.3.weight:2400",
      "features.3.bias:16",
      "classifier.1.weight:48000",
      "classifier.1.bias:120",
      "classifier.3.weight:10080",
      "classifier.3.bias:84",
      "classifier.5.weight:840",
      "classifier.5.bias:10",
    ]);
    assert.deepEqual([...net.forward(zeros([2, 1, 28, 28])).shape], [2, 10]);
  });

  test("MLP (Nielsen's 784-30-10) has 23,860 parameters", () => {
    const mlp = new models.MLP();
    assert.equal(mlp.numParameters(), 784 * 30 + 30 + 30 * 10 + 10);
    assert.equal(mlp.numParameters(), 23860);
    assert.deepEqual(mlp.namedParameters().map(([k]) => k), ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]);
    assert.ok(mlp.toString().endsWith(")  # 23,860 params"), mlp.toString());
  });

  test("formatCount groups thousands", () => {
    assert.equal(nn.formatCount(61706), "61,706");
    assert.equal(nn.formatCount(1234567), "1,234,567");
    assert.equal(nn.formatCount(850), "850");
  });
});
