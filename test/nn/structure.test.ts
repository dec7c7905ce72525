/**
 * Structure bricks: Embedding, Unflatten, Upsample / interpolate, ModuleList and ModuleDict.
 * Values by hand, gradients (gradcheck and the padding row), state-dict keys, and errors.
 * (Parity with PyTorch over grids is in test/ops/parity-act.test.ts.)
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, tensor, randn, manualSeed, gradcheck, arange, ShapeError, ValueError, TesseraError, type Tensor } from "../../src/index.js";
import { f64, i32, rand64 } from "../helpers/tensors.js";

const F = nn.functional;

function throwsWith(fn: () => unknown, cls: new (...a: never[]) => Error, fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
    return true;
  });
}

const rows = (t: Tensor, r: number): number[] => [...t.data()].slice(r * t.shape[1], (r + 1) * t.shape[1]);

describe("Embedding", () => {
  test("looks up rows for indices of any shape; weight key 'weight', N(0, 1) init", () => {
    manualSeed(1);
    const emb = new nn.Embedding(10, 3);
    assert.deepEqual([...emb.stateDict().keys()], ["weight"]);
    const idx = i32([[[1, 9]], [[0, 1]]]); // [2, 1, 2]
    const y = emb.forward(idx);
    assert.deepEqual([...y.shape], [2, 1, 2, 3]);
    const out = [...y.data()];
    [1, 9, 0, 1].forEach((r, k) => assert.deepEqual(out.slice(3 * k, 3 * k + 3), rows(emb.weight, r), `entry ${k} is row ${r}`));
    // a 0-d index gives one vector
    assert.deepEqual([...emb.forward(tensor(4, { dtype: "int32" })).shape], [3]);
    // N(0, 1) statistics on a large table
    const big = [...new nn.Embedding(1000, 20).weight.data()];
    const mean = big.reduce((a, b) => a + b, 0) / big.length;
    const std = Math.sqrt(big.reduce((a, b) => a + (b - mean) ** 2, 0) / big.length);
    assert.ok(Math.abs(mean) < 0.02 && Math.abs(std - 1) < 0.02, `mean ${mean}, std ${std}`);
  });

  test("gradients add up per row, and the padding row gets none even when looked up", () => {
    const emb = new nn.Embedding(5, 2, { paddingIdx: 0 });
    assert.deepEqual(rows(emb.weight, 0), [0, 0], "padding row starts at zero");
    assert.equal(emb.extraRepr(), "5, 2, paddingIdx=0");
    const y = emb.forward(i32([[0, 2, 2], [3, 0, 2]]));
    y.sum().backward();
    const g = emb.weight.grad!;
    assert.deepEqual([...g.data()], [0, 0, 0, 0, 3, 3, 1, 1, 0, 0]);
    assert.deepEqual(rows(y.reshape([6, 2]), 0), [0, 0]);
  });

  test("negative paddingIdx counts from the end; gradcheck of the functional form", () => {
    assert.equal(new nn.Embedding(6, 2, { paddingIdx: -1 }).paddingIdx, 5);
    manualSeed(2);
    const w = rand64([4, 3]);
    const idx = i32([3, 1, 1, 0, 2]);
    // (without paddingIdx: the padding row's zero gradient is by design, not the derivative)
    assert.ok(gradcheck((t) => F.embedding(idx, t), [w]));
    const wp = rand64([4, 3]);
    F.embedding(idx, wp, { paddingIdx: 1 }).sum().backward();
    assert.deepEqual(rows(wp.grad!, 1), [0, 0, 0]);
  });

  test("fromPretrained copies the table and freezes it by default", () => {
    const table = tensor([[1, 2], [3, 4], [5, 6]]);
    const frozen = nn.Embedding.fromPretrained(table);
    assert.equal(frozen.weight.requiresGrad, false);
    assert.deepEqual([...frozen.forward(i32([2, 0])).data()], [5, 6, 1, 2]);
    table.copy_(tensor([[0, 0], [0, 0], [0, 0]]));
    assert.deepEqual([...frozen.weight.data()], [1, 2, 3, 4, 5, 6], "a copy, not a view");
    const trainable = nn.Embedding.fromPretrained(tensor([[1, 2], [3, 4]]), { freeze: false, paddingIdx: 1 });
    assert.equal(trainable.weight.requiresGrad, true);
    assert.equal(trainable.paddingIdx, 1);
    assert.deepEqual(rows(trainable.weight, 1), [3, 4], "a pretrained padding row is kept");
  });

  test("errors name the index, the table size and the layer", () => {
    const model = new nn.Sequential(new nn.Embedding(10, 4));
    model.namedModules();
    throwsWith(() => model.forward(i32([[1, 12], [0, 3]])), ValueError, ["0 (Embedding)", "index 12", "position 1", "[2,2]", "10 embeddings"]);
    throwsWith(() => model.forward(i32([-1])), ValueError, ["index -1"]);
    throwsWith(() => model.forward(tensor([1, 2])), ValueError, ["int32", "float32"]);
    throwsWith(() => new nn.Embedding(5, 2, { paddingIdx: 5 }), ValueError, ["paddingIdx 5", "5 embeddings"]);
    throwsWith(() => new nn.Embedding(0, 2), ValueError, ["numEmbeddings", "0"]);
  });
});

describe("Unflatten", () => {
  test("splits one dim, infers a -1, and undoes Flatten", () => {
    const x = arange(0, 24).reshape([2, 12]);
    const u = new nn.Unflatten(1, [3, 4]);
    assert.deepEqual([...u.forward(x).shape], [2, 3, 4]);
    assert.deepEqual([...new nn.Unflatten(-1, [2, -1, 2]).forward(x).shape], [2, 2, 3, 2]);
    const img = randn([2, 3, 4, 5]);
    const back = new nn.Unflatten(1, [3, 4, 5]).forward(new nn.Flatten().forward(img));
    assert.deepEqual([...back.shape], [2, 3, 4, 5]);
    assert.deepEqual([...back.data()], [...img.data()]);
    assert.equal(u.extraRepr(), "dim=1, sizes=[3, 4]");
  });

  test("gradients flow through", () => {
    const x = f64([1, 2, 3, 4, 5, 6], [1, 6], true);
    new nn.Unflatten(1, [2, 3]).forward(x).mul(f64([1, 2, 3, 4, 5, 6], [1, 2, 3])).sum().backward();
    assert.deepEqual([...x.grad!.data()], [1, 2, 3, 4, 5, 6]);
  });

  test("errors", () => {
    throwsWith(() => new nn.Unflatten(1, [5, 3]).forward(randn([2, 12])), ShapeError, ["Unflatten", "[5,3]", "12", "[2,12]"]);
    throwsWith(() => new nn.Unflatten(1, [5, -1]).forward(randn([2, 12])), ShapeError, ["12"]);
    throwsWith(() => new nn.Unflatten(1, [-1, -1]), ValueError, ["at most one -1"]);
    throwsWith(() => new nn.Unflatten(3, [2, 2]).forward(randn([2, 4])), ValueError, ["dim 3", "rank 2"]);
  });
});

describe("Upsample and interpolate", () => {
  const grid = () => f64([1, 2, 3, 4], [1, 1, 2, 2]);

  test("nearest, scale 2: every pixel becomes a 2x2 block", () => {
    const y = new nn.Upsample({ scaleFactor: 2 }).forward(grid());
    assert.deepEqual([...y.shape], [1, 1, 4, 4]);
    assert.deepEqual([...y.data()], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  test("bilinear: alignCorners true keeps corners and interpolates between; false lines up pixel centres", () => {
    const t = new nn.Upsample({ size: 3, mode: "bilinear", alignCorners: true }).forward(grid());
    assert.deepEqual([...t.data()], [1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4]);
    const f = F.interpolate(grid(), { scaleFactor: 2, mode: "bilinear" });
    // row 0 of the 4x4 output: sources -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1)
    assert.deepEqual([...f.data()].slice(0, 4), [1, 1.25, 1.75, 2]);
    assert.deepEqual([...F.interpolate(f64([0, 10], [1, 1, 2]), { size: 5, mode: "linear", alignCorners: true }).data()], [0, 2.5, 5, 7.5, 10]);
  });

  test("downsampling, per-dim sizes and factors", () => {
    const x = randn([2, 3, 8, 6]);
    assert.deepEqual([...F.interpolate(x, { scaleFactor: 0.5 }).shape], [2, 3, 4, 3]);
    assert.deepEqual([...F.interpolate(x, { size: [5, 7], mode: "bilinear" }).shape], [2, 3, 5, 7]);
    assert.deepEqual([...F.interpolate(x, { scaleFactor: [1.5, 0.5], mode: "bilinear", alignCorners: true }).shape], [2, 3, 12, 3]);
    // nearest downsampling by 2 picks the top-left pixel of each 2x2 block
    assert.deepEqual([...F.interpolate(arange(0, 16, 1, { dtype: "float64" }).reshape([1, 1, 4, 4]), { scaleFactor: 0.5 }).data()], [0, 2, 8, 10]);
  });

  test("gradcheck: nearest and bilinear, both corner conventions, up and down", () => {
    manualSeed(3);
    const x = rand64([1, 2, 3, 4]);
    const configs = [
      { scaleFactor: 2 },
      { size: [5, 3] },
      { scaleFactor: 1.5, mode: "bilinear" as const },
      { size: [5, 7], mode: "bilinear" as const, alignCorners: true },
      { size: [2, 3], mode: "bilinear" as const, alignCorners: false },
    ];
    for (const o of configs) assert.ok(gradcheck((t) => F.interpolate(t, o), [x]), JSON.stringify(o));
  });

  test("the layer equals the functional form and describes itself", () => {
    const x = randn([1, 2, 3, 5]);
    const up = new nn.Upsample({ scaleFactor: [2, 1.5], mode: "bilinear", alignCorners: false });
    assert.deepEqual([...up.forward(x).data()], [...F.interpolate(x, { scaleFactor: [2, 1.5], mode: "bilinear", alignCorners: false }).data()]);
    assert.equal(up.extraRepr(), 'scaleFactor=[2,1.5], mode="bilinear", alignCorners=false');
    assert.equal(new nn.Upsample({ size: 7 }).extraRepr(), 'size=7, mode="nearest"');
  });

  test("errors", () => {
    throwsWith(() => new nn.Upsample({}), ValueError, ["exactly one of size and scaleFactor"]);
    throwsWith(() => F.interpolate(randn([1, 1, 2, 2]), { size: 3, scaleFactor: 2 }), ValueError, ["exactly one"]);
    throwsWith(() => new nn.Upsample({ scaleFactor: 2, alignCorners: true }), ValueError, ["alignCorners", "nearest"]);
    throwsWith(() => new nn.Upsample({ scaleFactor: 2, mode: "bicubic" as "bilinear" }), ValueError, ["bicubic"]);
    const model = new nn.Sequential(new nn.Upsample({ scaleFactor: 2, mode: "bilinear" }));
    model.namedModules();
    throwsWith(() => model.forward(randn([2, 3, 4])), ShapeError, ["0 (Upsample)", "bilinear", "[N, C, H, W]", "[2,3,4]"]);
    throwsWith(() => F.interpolate(randn([1, 1, 3, 3]), { scaleFactor: 0.2 }), ValueError, ["greater than 0", "[0,0]"]);
    throwsWith(() => F.interpolate(randn([1, 1, 3, 3]), { size: [2, 2, 2] }), ValueError, ["2 spatial dim"]);
  });
});

describe("ModuleList", () => {
  test("registers children under '0', '1', ...: parameters, state dict, train/eval, printing", () => {
    const list = new nn.ModuleList([new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1)]);
    assert.equal(list.length, 3);
    assert.deepEqual([...list.stateDict().keys()], ["0.weight", "0.bias", "2.weight", "2.bias"]);
    assert.equal(list.numParameters(), 9 + 4);
    list.eval();
    assert.ok([...list].every((m) => !m.training));
    assert.match(list.toString(), /\(2\): Linear\(3 => 1\)/);
    class Owner extends nn.Module {
      layers = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2)]);
      forward(x: Tensor): Tensor {
        for (const layer of this.layers) x = layer.forward(x).relu();
        return x;
      }
    }
    const owner = new Owner();
    assert.deepEqual([...owner.stateDict().keys()], ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]);
    assert.deepEqual([...owner.forward(randn([4, 2])).shape], [4, 2]);
    // a state dict round trip
    const copy = new Owner();
    copy.loadStateDict(owner.stateDict());
    assert.deepEqual([...copy.layers.get(1).parameters()[0].data()], [...owner.layers.get(1).parameters()[0].data()]);
  });

  test("append, extend, insert, set, pop, get with negative indices renumber the keys", () => {
    const a = new nn.Linear(1, 1);
    const b = new nn.Linear(1, 2);
    const c = new nn.Linear(1, 3);
    const d = new nn.Linear(1, 4);
    const list = new nn.ModuleList().append(a).extend([c]);
    list.insert(1, b);
    assert.deepEqual([...list], [a, b, c]);
    list.insert(-100, d); // clamps to the front, like Python's list.insert
    assert.equal(list.get(0), d);
    assert.equal(list.get(-1), c);
    assert.equal(list.at(-2), b);
    assert.equal(list.pop(0), d);
    list.set(2, d);
    assert.deepEqual([...list], [a, b, d]);
    assert.deepEqual(list.namedChildren().map(([k, m]) => [k, m]), [["0", a], ["1", b], ["2", d]]);
    assert.equal(list.pop(), d);
    assert.equal(list.length, 2);
  });

  test("errors", () => {
    const list = new nn.ModuleList([new nn.ReLU()]);
    throwsWith(() => list.get(3), ValueError, ["index 3", "1 module"]);
    throwsWith(() => list.set(-2, new nn.ReLU()), ValueError, ["index -2"]);
    throwsWith(() => list.append({} as nn.Module), ValueError, ["expected a Module", "Object"]);
    throwsWith(() => list.forward(randn([1])), TesseraError, ["ModuleList has no forward"]);
  });
});

describe("ModuleDict", () => {
  test("keys are used verbatim in state dicts; insertion order; Map-like access", () => {
    const dict = new nn.ModuleDict({ convA: new nn.Conv2d(1, 2, 3), head: new nn.Linear(2, 1) });
    assert.deepEqual([...dict.stateDict().keys()], ["convA.weight", "convA.bias", "head.weight", "head.bias"]);
    assert.deepEqual(dict.keys(), ["convA", "head"]);
    assert.deepEqual([...dict], ["convA", "head"], "iteration yields keys, as in PyTorch");
    assert.ok(dict.has("head") && !dict.has("tail"));
    const act = new nn.ReLU();
    dict.set("act", act).set("convA", new nn.Conv2d(1, 4, 1)); // replacing keeps the position
    assert.deepEqual(dict.keys(), ["convA", "head", "act"]);
    assert.deepEqual([...dict.get("convA").parameters()[0].shape], [4, 1, 1, 1]);
    assert.equal(dict.pop("act"), act);
    assert.deepEqual(dict.items().map(([k]) => k), ["convA", "head"]);
    assert.equal(dict.values().length, 2);
    dict.update([["z", new nn.ReLU()]]);
    assert.equal(dict.length, 3);
    dict.clear();
    assert.equal(dict.length, 0);
  });

  test("errors", () => {
    const dict = new nn.ModuleDict({ a: new nn.ReLU() });
    throwsWith(() => dict.get("b"), ValueError, ['"b"', "keys: a"]);
    throwsWith(() => dict.set("x.y", new nn.ReLU()), ValueError, ['"x.y"', "without \".\""]);
    throwsWith(() => dict.set("", new nn.ReLU()), ValueError, ['""']);
    throwsWith(() => dict.forward(randn([1])), TesseraError, ["ModuleDict has no forward"]);
  });
});
