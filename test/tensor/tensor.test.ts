/** Tensor creation, reading, dtypes, comparisons, reshaping, error messages and printing. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { Tensor } from "../../src/tensor/tensor.js";
import { arange, eye, full, linspace, ones, rand, randn, scalar, tensor, zeros } from "../../src/tensor/create.js";
import { manualSeed, Generator } from "../../src/random.js";
import { ShapeError, ValueError } from "../../src/errors.js";
import { cat, pad } from "../../src/ops/shape.js";
import { where } from "../../src/ops/binary.js";
import { linear } from "../../src/ops/matmul.js";
import { conv2d } from "../../src/ops/conv.js";
import { avgPool2d, maxPool2d } from "../../src/ops/pool.js";
import { assertClose } from "../helpers/fixtures.js";
import { f64, i32 } from "../helpers/tensors.js";

const values = (t: Tensor): number[] => Array.from(t.data());

describe("creation", () => {
  test("tensor() from nested arrays infers the shape, float32 by default", () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(t.shape, [2, 3]);
    assert.equal(t.dtype, "float32");
    assert.ok(t.data() instanceof Float32Array);
    assert.deepEqual(t.toArray(), [[1, 2, 3], [4, 5, 6]]);
    assert.equal(t.ndim, 2);
    assert.equal(t.numel, 6);
    assert.equal(t.size(-1), 3);
    assert.equal(t.size(0), 2);
  });

  test("tensor() from deeper nesting, a number and an empty list", () => {
    const t = tensor([[[1], [2]], [[3], [4]]], { dtype: "float64" });
    assert.deepEqual(t.shape, [2, 2, 1]);
    assert.deepEqual(values(t), [1, 2, 3, 4]);
    const s = tensor(2.5);
    assert.deepEqual(s.shape, []);
    assert.equal(s.item(), 2.5);
    const e = tensor([]);
    assert.deepEqual(e.shape, [0]);
    assert.equal(e.numel, 0);
  });

  test("tensor() from typed arrays takes their dtype, with an optional shape", () => {
    const a = tensor(new Float64Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] });
    assert.equal(a.dtype, "float64");
    assert.deepEqual(a.shape, [2, 3]);
    assert.deepEqual(a.toArray(), [[1, 2, 3], [4, 5, 6]]);
    const b = tensor(new Int32Array([7, -8, 9]));
    assert.equal(b.dtype, "int32");
    assert.deepEqual(b.shape, [3]);
    assert.deepEqual(values(b), [7, -8, 9]);
    const c = tensor(new Float32Array([0.5, 1.5]));
    assert.equal(c.dtype, "float32");
    const d = tensor(new Float32Array([0.5, 1.5]), { dtype: "float64" });
    assert.equal(d.dtype, "float64");
  });

  test("tensor() copies its source", () => {
    const src = new Float64Array([1, 2, 3]);
    const t = tensor(src);
    src[0] = 100;
    assert.deepEqual(values(t), [1, 2, 3]);
  });

  test("tensor() from a flat list with a shape", () => {
    const t = tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2], dtype: "float64" });
    assert.deepEqual(t.toArray(), [[1, 2], [3, 4], [5, 6]]);
  });

  test("tensor() refuses ragged arrays and data that does not fill the shape", () => {
    assert.throws(() => tensor([[1, 2], [3]]), (e: unknown) => e instanceof ShapeError && /ragged/.test(e.message) && /\[1\]/.test(e.message));
    assert.throws(() => tensor([[1, 2], 3] as never), ShapeError);
    assert.throws(() => tensor([1, 2, 3], { shape: [2, 2] }), (e: unknown) => e instanceof ShapeError && e.message.includes("[2,2]"));
    assert.throws(() => tensor(new Float64Array(5), { shape: [2, 3] }), ShapeError);
  });

  test("zeros, ones, full", () => {
    const z = zeros([2, 3]);
    assert.equal(z.dtype, "float32");
    assert.deepEqual(z.shape, [2, 3]);
    assert.deepEqual(values(z), [0, 0, 0, 0, 0, 0]);
    const o = ones([2], { dtype: "int32" });
    assert.equal(o.dtype, "int32");
    assert.deepEqual(values(o), [1, 1]);
    const f = full([2, 2], 0.1, { dtype: "float64" });
    assert.deepEqual(values(f), [0.1, 0.1, 0.1, 0.1]);
    assert.equal(full([], 7).item(), 7);
    assert.equal(scalar(-3, { dtype: "float64" }).item(), -3);
    assert.deepEqual(zeros([2, 0, 3]).shape, [2, 0, 3]);
    assert.throws(() => zeros([2, -1]), ShapeError);
    assert.throws(() => ones([1.5]), ShapeError);
  });

  test("arange with integer arguments gives int32", () => {
    const a = arange(5);
    assert.equal(a.dtype, "int32");
    assert.deepEqual(values(a), [0, 1, 2, 3, 4]);
    assert.deepEqual(values(arange(2, 10, 3)), [2, 5, 8]);
    assert.deepEqual(values(arange(5, 0, -2)), [5, 3, 1]);
    assert.deepEqual(arange(3, 3).shape, [0]);
    assert.deepEqual(arange(3, 1).shape, [0]);
    assert.throws(() => arange(0, 5, 0), ValueError);
  });

  test("arange with float arguments gives float32 (or the requested dtype)", () => {
    const a = arange(0, 1, 0.25);
    assert.equal(a.dtype, "float32");
    assert.deepEqual(values(a), [0, 0.25, 0.5, 0.75]);
    const b = arange(1, 2.5, 0.5, { dtype: "float64" });
    assert.equal(b.dtype, "float64");
    assert.deepEqual(values(b), [1, 1.5, 2]);
    const c = arange(0, 1, 0.1, { dtype: "float64" });
    assert.equal(c.numel, 10);
    assertClose(c, { shape: [10], data: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] }, { rtol: 1e-15, atol: 1e-15 }, "arange(0, 1, 0.1)");
    assert.equal(arange(4, undefined, 1, { dtype: "float64" }).dtype, "float64");
  });

  test("linspace includes both ends", () => {
    const l = linspace(0, 1, 5);
    assert.equal(l.dtype, "float32");
    assert.deepEqual(values(l), [0, 0.25, 0.5, 0.75, 1]);
    const m = linspace(-1, 2, 4, { dtype: "float64" });
    assert.deepEqual(values(m), [-1, 0, 1, 2]);
    assert.deepEqual(values(linspace(3, 7, 1)), [3]);
    assert.equal(linspace(0, 1, 0).numel, 0);
  });

  test("eye, square and rectangular", () => {
    assert.deepEqual(eye(3).toArray(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    assert.deepEqual(eye(2, 3).toArray(), [[1, 0, 0], [0, 1, 0]]);
    assert.deepEqual(eye(3, 2, { dtype: "int32" }).toArray(), [[1, 0], [0, 1], [0, 0]]);
    assert.equal(eye(2, 2, { dtype: "float64" }).dtype, "float64");
  });

  test("rand and randn are reproducible under manualSeed and differ across seeds", () => {
    manualSeed(42);
    const r1 = values(rand([50]));
    const n1 = values(randn([3, 7], { dtype: "float64" }));
    manualSeed(42);
    const r2 = values(rand([50]));
    const n2 = values(randn([3, 7], { dtype: "float64" }));
    assert.deepEqual(r1, r2);
    assert.deepEqual(n1, n2);
    manualSeed(43);
    const r3 = values(rand([50]));
    const n3 = values(randn([3, 7], { dtype: "float64" }));
    assert.notDeepEqual(r1, r3);
    assert.notDeepEqual(n1, n3);
    assert.ok(r1.filter((v, i) => v === r3[i]).length < 3, "seeds 42 and 43 should give unrelated streams");
    // Successive draws differ too.
    manualSeed(42);
    rand([50]);
    assert.notDeepEqual(values(rand([50])), r1);
  });

  test("an explicit Generator gives the same stream as the seeded default", () => {
    manualSeed(5);
    const a = values(randn([20], { dtype: "float64" }));
    const b = values(randn([20], { dtype: "float64", generator: new Generator(5) }));
    assert.deepEqual(a, b);
  });

  test("rand is uniform on [0, 1)", () => {
    manualSeed(1);
    const v = values(rand([10000], { dtype: "float64" }));
    assert.ok(v.every((x) => x >= 0 && x < 1), "values in [0, 1)");
    const mean = v.reduce((p, x) => p + x, 0) / v.length;
    assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
    const below = v.filter((x) => x < 0.25).length / v.length;
    assert.ok(Math.abs(below - 0.25) < 0.02, `fraction below 0.25: ${below}`);
  });

  test("randn has mean ~0 and std ~1 over 10000 draws", () => {
    for (const s of [0, 123, 2024]) {
      manualSeed(s);
      const v = values(randn([10000], { dtype: "float64" }));
      const mean = v.reduce((p, x) => p + x, 0) / v.length;
      const std = Math.sqrt(v.reduce((p, x) => p + (x - mean) ** 2, 0) / (v.length - 1));
      assert.ok(Math.abs(mean) < 0.05, `seed ${s}: mean ${mean}`);
      assert.ok(Math.abs(std - 1) < 0.05, `seed ${s}: std ${std}`);
      const within1 = v.filter((x) => Math.abs(x) < 1).length / v.length;
      assert.ok(Math.abs(within1 - 0.6827) < 0.02, `seed ${s}: fraction within one std ${within1}`);
    }
  });
});

describe("reading", () => {
  test(".shape, .dtype, .toArray(), .data(), .item()", () => {
    const t = f64([[1.5, -2], [3, 4.25]]);
    assert.deepEqual(t.shape, [2, 2]);
    assert.ok(Object.isFrozen(t.shape));
    assert.equal(t.dtype, "float64");
    assert.deepEqual(t.toArray(), [[1.5, -2], [3, 4.25]]);
    const d = t.data();
    assert.ok(d instanceof Float64Array);
    assert.deepEqual(Array.from(d), [1.5, -2, 3, 4.25]);
    d[0] = 99; // a copy: the tensor is unchanged
    assert.equal(t.toArray().toString(), "1.5,-2,3,4.25");
    assert.equal(f64([[7]]).item(), 7);
    assert.equal(scalar(0.25).item(), 0.25);
    assert.equal(scalar(0.25).toArray(), 0.25);
    assert.throws(() => t.item(), (e: unknown) => e instanceof ValueError && /4 elements/.test(e.message));
  });

  test("float32 storage rounds values, float64 keeps them", () => {
    assert.equal(tensor([0.1]).item(), Math.fround(0.1));
    assert.equal(tensor([0.1], { dtype: "float64" }).item(), 0.1);
    assert.equal(tensor([2.9, -2.9], { dtype: "int32" }).data()[0], 2);
  });
});

describe("dtypes", () => {
  test("float64 is preserved through ops", () => {
    const x = f64([[0.5, -1, 2], [1.5, 0.25, -0.75]]);
    const pos = x.abs().add(0.5);
    const img = f64(Array.from({ length: 16 }, (_, i) => i / 16), [1, 1, 4, 4]);
    const results: [string, Tensor][] = [
      ["add", x.add(1)],
      ["mul by a number", x.mul(3)],
      ["div", x.div(7)],
      ["pow", pos.pow(1.5)],
      ["pow tensor", pos.pow(pos)],
      ["exp", x.exp()],
      ["log", pos.log()],
      ["sqrt", pos.sqrt()],
      ["sigmoid", x.sigmoid()],
      ["tanh", x.tanh()],
      ["relu", x.relu()],
      ["leakyRelu", x.leakyRelu()],
      ["clamp", x.clamp(-0.5, 0.5)],
      ["softmax", x.softmax(1)],
      ["logSoftmax", x.logSoftmax(0)],
      ["sum", x.sum()],
      ["mean", x.mean(1)],
      ["max", x.max(0)],
      ["logsumexp", x.logsumexp(1)],
      ["matmul", x.matmul(x.T)],
      ["linear", linear(x, x)],
      ["transpose", x.transpose(0, 1)],
      ["reshape", x.reshape(-1)],
      ["cat", cat([x, x], 0)],
      ["pad", pad(x, [1, 1])],
      ["where", where(x.gt(0), x, 0)],
      ["gather", x.gather(1, i32([[0], [2]]))],
      ["indexSelect", x.indexSelect(1, [2, 0])],
      ["conv2d", conv2d(img, f64([1, 2, 3, 4], [1, 1, 2, 2]))],
      ["maxPool2d", maxPool2d(img, 2)],
      ["avgPool2d", avgPool2d(img, 2)],
      ["comparison", x.gt(0)],
    ];
    for (const [name, t] of results) assert.equal(t.dtype, "float64", name);
  });

  test("float64 ops compute in double precision", () => {
    assert.equal(f64([0.1]).add(0.2).item(), 0.1 + 0.2);
    assert.equal(f64([1]).div(3).item(), 1 / 3);
    assert.equal(f64([1e-10]).exp().sub(1).item(), Math.exp(1e-10) - 1);
    const big = f64(Array.from({ length: 10 }, () => 0.1));
    assert.equal(big.sum().item(), 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1);
  });

  test("float32 + float64 promotes to float64, in either order", () => {
    const a = tensor([0.1, 0.5]);
    const b = f64([0.2, 0.25]);
    for (const t of [a.add(b), b.add(a), a.mul(b), b.sub(a), a.div(b), a.maximum(b)]) assert.equal(t.dtype, "float64");
    assert.deepEqual(values(a.add(b)), [Math.fround(0.1) + 0.2, 0.75]);
    assert.equal(a.matmul(b).dtype, "float64");
    assert.equal(a.matmul(b).item(), Math.fround(0.1) * 0.2 + 0.125);
  });

  test("other promotions: int32 with floats, numbers never widen", () => {
    const i = tensor([1, 2, 3], { dtype: "int32" });
    assert.equal(i.add(tensor([0.5, 0.5, 0.5])).dtype, "float32");
    assert.equal(i.add(f64([0.5, 0.5, 0.5])).dtype, "float64");
    const halves = i.add(0.5);
    assert.equal(halves.dtype, "float32");
    assert.deepEqual(values(halves), [1.5, 2.5, 3.5]);
    assert.equal(i.add(2).dtype, "int32");
    assert.deepEqual(values(i.mul(2)), [2, 4, 6]);
    const q = i.div(tensor([2, 2, 2], { dtype: "int32" }));
    assert.equal(q.dtype, "float32");
    assert.deepEqual(values(q), [0.5, 1, 1.5]);
    assert.equal(tensor([1.5]).mul(2.5).dtype, "float32");
    assert.equal(i.mean().dtype, "float32");
    assert.equal(i.mean().item(), 2);
  });

  test("to() converts between dtypes", () => {
    const x = f64([1.75, -1.75]);
    assert.deepEqual(values(x.to("int32")), [1, -1]);
    assert.equal(x.float().dtype, "float32");
    assert.equal(x.float().double().dtype, "float64");
    assert.equal(x.to("float64"), x);
  });
});

describe("comparisons and argmax", () => {
  test("comparisons return 0/1 in the operands' dtype, with broadcasting", () => {
    const a = f64([[1, 2, 3], [4, 5, 6]]);
    const b = f64([2, 5, 6]);
    const cases: [string, Tensor, number[]][] = [
      ["eq", a.eq(b), [0, 0, 0, 0, 1, 1]],
      ["ne", a.ne(b), [1, 1, 1, 1, 0, 0]],
      ["lt", a.lt(b), [1, 1, 1, 0, 0, 0]],
      ["le", a.le(b), [1, 1, 1, 0, 1, 1]],
      ["gt", a.gt(b), [0, 0, 0, 1, 0, 0]],
      ["ge", a.ge(b), [0, 0, 0, 1, 1, 1]],
    ];
    for (const [name, t, expected] of cases) {
      assert.deepEqual(t.shape, [2, 3], name);
      assert.equal(t.dtype, "float64", name);
      assert.deepEqual(values(t), expected, name);
    }
    assert.deepEqual(values(a.gt(3)), [0, 0, 0, 1, 1, 1]);
    const ints = tensor([1, 5, 3], { dtype: "int32" }).ge(3);
    assert.equal(ints.dtype, "int32");
    assert.deepEqual(values(ints), [0, 1, 1]);
    assert.deepEqual(values(tensor([0.1]).eq(tensor([0.1]))), [1]);
  });

  test("argmax / argmin return int32 and pick the first index on ties", () => {
    const t = f64([1, 3, 3, 2]);
    const i = t.argmax();
    assert.equal(i.dtype, "int32");
    assert.deepEqual(i.shape, []);
    assert.equal(i.item(), 1);
    assert.equal(f64([2, 0, 5, 0]).argmin().item(), 1);
    const m = f64([[1, 5, 5], [7, 7, 0], [-1, -1, -1]]);
    assert.deepEqual(values(m.argmax(1)), [1, 0, 0]);
    assert.deepEqual(values(m.argmin(1)), [0, 2, 0]);
    assert.deepEqual(values(m.argmax(0)), [1, 1, 0]);
    assert.deepEqual(values(m.argmin(0)), [2, 2, 2]);
    assert.deepEqual(m.argmax(1, true).shape, [3, 1]);
    assert.equal(m.argmax().item(), 3, "flattened argmax");
    assert.equal(m.argmin().item(), 6, "flattened argmin");
    assert.equal(tensor([4, 9, 9], { dtype: "int32" }).argmax().item(), 1);
  });

  test("max / min values with keepdim", () => {
    const m = f64([[1, 5, 2], [7, 0, 3]]);
    assert.deepEqual(values(m.max(1)), [5, 7]);
    assert.deepEqual(m.max(1, true).shape, [2, 1]);
    assert.deepEqual(values(m.min(0)), [1, 0, 2]);
    assert.equal(m.max().item(), 7);
    assert.equal(m.min().item(), 0);
  });
});

describe("shapes", () => {
  test("reshape with -1", () => {
    const t = arange(24, undefined, 1, { dtype: "float64" }).reshape(2, 3, 4);
    assert.deepEqual(t.reshape(-1).shape, [24]);
    assert.deepEqual(t.reshape(4, -1).shape, [4, 6]);
    assert.deepEqual(t.reshape([-1, 2, 3]).shape, [4, 2, 3]);
    assert.deepEqual(t.view(2, -1, 2).shape, [2, 6, 2]);
    assert.deepEqual(values(t.reshape(6, -1)), Array.from({ length: 24 }, (_, i) => i));
    assert.deepEqual((t.reshape(6, 4).toArray() as number[][])[1], [4, 5, 6, 7]);
    assert.deepEqual(zeros([0, 3]).reshape(-1, 3).shape, [0, 3]);
  });

  test("a bad reshape names both shapes", () => {
    const t = zeros([2, 3]);
    assert.throws(
      () => t.reshape(4, 2),
      (e: unknown) => e instanceof ShapeError && e.message.includes("[2,3]") && e.message.includes("[4,2]"),
    );
    assert.throws(
      () => t.reshape(-1, 4),
      (e: unknown) => e instanceof ShapeError && e.message.includes("[2,3]") && e.message.includes("[-1,4]"),
    );
    assert.throws(() => t.reshape(-1, -1), ShapeError);
  });

  test("a broadcast mismatch names both shapes", () => {
    const a = zeros([2, 3]);
    const b = zeros([4]);
    for (const f of [() => a.add(b), () => a.mul(b), () => b.sub(a), () => a.maximum(b), () => a.lt(b)]) {
      assert.throws(f, (e: unknown) => e instanceof ShapeError && e.message.includes("[2,3]") && e.message.includes("[4]"));
    }
    assert.throws(
      () => zeros([2, 3, 4]).add(zeros([3, 2, 4])),
      (e: unknown) => e instanceof ShapeError && e.message.includes("[2,3,4]") && e.message.includes("[3,2,4]"),
    );
  });

  test("a matmul mismatch names the inner sizes", () => {
    assert.throws(
      () => zeros([2, 3]).matmul(zeros([4, 5])),
      (e: unknown) => e instanceof ShapeError && /3 vs 4/.test(e.message) && e.message.includes("[2,3]") && e.message.includes("[4,5]"),
    );
    assert.throws(() => zeros([3]).matmul(zeros([2])), (e: unknown) => e instanceof ShapeError && /3 vs 2/.test(e.message));
    assert.throws(() => zeros([2, 2, 3]).matmul(zeros([2, 5])), (e: unknown) => e instanceof ShapeError && /3 vs 2/.test(e.message));
    assert.throws(() => scalar(1).matmul(zeros([2])), ShapeError);
  });

  test("matmul shapes follow PyTorch's rules", () => {
    const cases: [number[], number[], number[]][] = [
      [[3], [3], []],
      [[3], [3, 4], [4]],
      [[2, 3], [3], [2]],
      [[5, 2, 3], [3, 4], [5, 2, 4]],
      [[2, 3], [5, 3, 4], [5, 2, 4]],
      [[2, 1, 2, 3], [4, 3, 5], [2, 4, 2, 5]],
    ];
    for (const [a, b, out] of cases) assert.deepEqual(ones(a).matmul(ones(b)).shape, out, `[${a}] @ [${b}]`);
    assert.equal(ones([2, 3]).matmul(ones([3, 4])).data()[0], 3);
    assert.deepEqual(f64([[1, 2], [3, 4]]).matmul(f64([[5, 6], [7, 8]])).toArray(), [[19, 22], [43, 50]]);
  });
});

describe("toString()", () => {
  test("float32 2-D", () => {
    assert.equal(tensor([[1, 2], [3, 4]]).toString(), "tensor([[1., 2.],\n        [3., 4.]])");
  });

  test("dtype suffix for float64 and int32", () => {
    assert.equal(f64([1.5, -2]).toString(), "tensor([1.5, -2.], dtype=float64)");
    assert.equal(tensor([1, 2], { dtype: "int32" }).toString(), "tensor([1, 2], dtype=int32)");
  });

  test("requiresGrad and gradFn suffixes", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    assert.equal(x.toString(), "tensor([1., 2.], requiresGrad=true)");
    assert.equal(x.mul(2).toString(), "tensor([2., 4.], gradFn=mul)");
  });

  test("0-d, empty, small/large values and 3-D alignment", () => {
    assert.equal(scalar(3.5).toString(), "tensor(3.5)");
    assert.equal(tensor([]).toString(), "tensor([])");
    assert.equal(f64([1e-5, 2500000.5, 1 / 3, 0, 1e7]).toString(), "tensor([1.0000e-5, 2.5000e+6, 0.33333, 0., 10000000.], dtype=float64)");
    assert.equal(String(tensor([[[1, 2]], [[3, 4]]])), "tensor([[[1., 2.]],\n        [[3., 4.]]])");
    assert.equal(String(zeros([2, 2, 2])), "tensor([[[0., 0.],\n         [0., 0.]],\n        [[0., 0.],\n         [0., 0.]]])");
  });
});
