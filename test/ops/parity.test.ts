/**
 * Parity with PyTorch: every case of test/fixtures/{ops,linear,conv2d,pool2d}.json is run through
 * the matching Tessera function in float64; the output and, after out.backward(gradOutput), every
 * recorded input gradient must match PyTorch's numbers.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import type { Tensor } from "../../src/tensor/tensor.js";
import { cat, stack, pad } from "../../src/ops/shape.js";
import { where } from "../../src/ops/binary.js";
import { linear } from "../../src/ops/matmul.js";
import { conv2d, type Padding2d } from "../../src/ops/conv.js";
import { avgPool2d, maxPool2d } from "../../src/ops/pool.js";
import type { Pair } from "../../src/ops/window.js";
import { assertClose, fixtureTensor, isFloatFixture, loadCases, type OpCase } from "../helpers/fixtures.js";

const OUTPUT_TOL = { rtol: 1e-9, atol: 1e-10 };
const GRAD_TOL = { rtol: 1e-9, atol: 1e-10 };

/** Typed access to a case's args; a wrong type fails the test with the arg's name. */
class Args {
  constructor(
    private readonly args: Record<string, unknown>,
    private readonly caseName: string,
  ) {}
  has(key: string): boolean {
    return this.args[key] !== undefined && this.args[key] !== null;
  }
  private fail(key: string, what: string): never {
    assert.fail(`${this.caseName}: arg ${key} should be ${what}, got ${JSON.stringify(this.args[key])}`);
  }
  num(key: string): number {
    const v = this.args[key];
    if (typeof v !== "number") this.fail(key, "a number");
    return v;
  }
  optNum(key: string): number | undefined {
    return this.has(key) ? this.num(key) : undefined;
  }
  bool(key: string): boolean | undefined {
    if (!this.has(key)) return undefined;
    const v = this.args[key];
    if (typeof v !== "boolean") this.fail(key, "a boolean");
    return v;
  }
  numList(key: string): number[] {
    const v = this.args[key];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "number")) this.fail(key, "a list of numbers");
    return v as number[];
  }
  /** A number or a list of numbers (reduction dims); undefined when absent. */
  dims(key: string): number | number[] | undefined {
    if (!this.has(key)) return undefined;
    return typeof this.args[key] === "number" ? this.num(key) : this.numList(key);
  }
  pair(key: string): Pair | undefined {
    if (!this.has(key)) return undefined;
    const v = this.args[key];
    if (typeof v === "number") return v;
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number")) return [v[0], v[1]];
    this.fail(key, "a number or an [h, w] pair");
  }
  convPadding(key: string): Padding2d | undefined {
    const v = this.args[key];
    if (v === "same" || v === "valid") return v;
    return this.pair(key);
  }
}

type Inputs = Record<string, Tensor>;

interface Mapping {
  /** Every arg name the mapping understands; any other arg in a case fails the test. */
  args: string[];
  /** Input names that must be present. */
  inputs: string[];
  /** Input names that may be present. */
  optional?: string[];
  run(t: Inputs, a: Args): Tensor;
}

const binary = (f: (a: Tensor, b: Tensor) => Tensor): Mapping => ({ args: [], inputs: ["a", "b"], run: (t) => f(t.a, t.b) });
const unary = (f: (x: Tensor) => Tensor): Mapping => ({ args: [], inputs: ["x"], run: (t) => f(t.x) });

const MAPPINGS: Record<string, Mapping> = {
  add: binary((a, b) => a.add(b)),
  sub: binary((a, b) => a.sub(b)),
  mul: binary((a, b) => a.mul(b)),
  div: binary((a, b) => a.div(b)),
  maximum: binary((a, b) => a.maximum(b)),
  minimum: binary((a, b) => a.minimum(b)),
  matmul: binary((a, b) => a.matmul(b)),
  pow: {
    args: ["exponent"],
    inputs: [],
    optional: ["a", "b", "x"],
    run: (t, a) => {
      if (a.has("exponent")) {
        assert.ok(t.x, "pow with a scalar exponent needs input x");
        return t.x.pow(a.num("exponent"));
      }
      assert.ok(t.a && t.b, "pow with a tensor exponent needs inputs a and b");
      return t.a.pow(t.b);
    },
  },
  exp: unary((x) => x.exp()),
  log: unary((x) => x.log()),
  sqrt: unary((x) => x.sqrt()),
  abs: unary((x) => x.abs()),
  neg: unary((x) => x.neg()),
  sigmoid: unary((x) => x.sigmoid()),
  tanh: unary((x) => x.tanh()),
  relu: unary((x) => x.relu()),
  clamp: { args: ["min", "max"], inputs: ["x"], run: (t, a) => t.x.clamp(a.optNum("min"), a.optNum("max")) },
  leakyRelu: { args: ["negativeSlope"], inputs: ["x"], run: (t, a) => t.x.leakyRelu(a.optNum("negativeSlope")) },
  softmax: { args: ["dim"], inputs: ["x"], run: (t, a) => t.x.softmax(a.num("dim")) },
  logSoftmax: { args: ["dim"], inputs: ["x"], run: (t, a) => t.x.logSoftmax(a.num("dim")) },
  logsumexp: {
    args: ["dim", "keepdim"],
    inputs: ["x"],
    run: (t, a) => {
      const dim = a.dims("dim");
      assert.ok(dim !== undefined, "logsumexp needs dim");
      return t.x.logsumexp(dim, a.bool("keepdim") ?? false);
    },
  },
  sum: { args: ["dim", "keepdim"], inputs: ["x"], run: (t, a) => t.x.sum(a.dims("dim") ?? null, a.bool("keepdim") ?? false) },
  mean: { args: ["dim", "keepdim"], inputs: ["x"], run: (t, a) => t.x.mean(a.dims("dim") ?? null, a.bool("keepdim") ?? false) },
  max: { args: ["dim", "keepdim"], inputs: ["x"], run: (t, a) => t.x.max(a.optNum("dim") ?? null, a.bool("keepdim") ?? false) },
  min: { args: ["dim", "keepdim"], inputs: ["x"], run: (t, a) => t.x.min(a.optNum("dim") ?? null, a.bool("keepdim") ?? false) },
  where: { args: [], inputs: ["cond", "a", "b"], run: (t) => where(t.cond, t.a, t.b) },
  gather: { args: ["dim"], inputs: ["x", "index"], run: (t, a) => t.x.gather(a.num("dim"), t.index) },
  indexSelect: { args: ["dim"], inputs: ["x", "index"], run: (t, a) => t.x.indexSelect(a.num("dim"), t.index) },
  cat: { args: ["dim"], inputs: ["a", "b"], run: (t, a) => cat([t.a, t.b], a.optNum("dim") ?? 0) },
  stack: { args: ["dim"], inputs: ["a", "b"], run: (t, a) => stack([t.a, t.b], a.optNum("dim") ?? 0) },
  transpose: { args: ["dim0", "dim1"], inputs: ["x"], run: (t, a) => t.x.transpose(a.num("dim0"), a.num("dim1")) },
  permute: { args: ["dims"], inputs: ["x"], run: (t, a) => t.x.permute(a.numList("dims")) },
  expand: { args: ["size"], inputs: ["x"], run: (t, a) => t.x.expand(a.numList("size")) },
  narrow: { args: ["dim", "start", "length"], inputs: ["x"], run: (t, a) => t.x.narrow(a.num("dim"), a.num("start"), a.num("length")) },
  pad: { args: ["pad", "value"], inputs: ["x"], run: (t, a) => pad(t.x, a.numList("pad"), a.optNum("value") ?? 0) },
  linear: { args: [], inputs: ["x", "weight"], optional: ["bias"], run: (t) => linear(t.x, t.weight, t.bias ?? null) },
  conv2d: {
    args: ["stride", "padding", "dilation", "groups"],
    inputs: ["x", "weight"],
    optional: ["bias"],
    run: (t, a) =>
      conv2d(t.x, t.weight, t.bias ?? null, {
        stride: a.pair("stride"),
        padding: a.convPadding("padding"),
        dilation: a.pair("dilation"),
        groups: a.optNum("groups"),
      }),
  },
  maxPool2d: {
    args: ["kernelSize", "stride", "padding", "dilation", "ceilMode"],
    inputs: ["x"],
    run: (t, a) => {
      const k = a.pair("kernelSize");
      assert.ok(k !== undefined, "maxPool2d needs kernelSize");
      return maxPool2d(t.x, k, { stride: a.pair("stride"), padding: a.pair("padding"), dilation: a.pair("dilation"), ceilMode: a.bool("ceilMode") });
    },
  },
  avgPool2d: {
    args: ["kernelSize", "stride", "padding", "ceilMode", "countIncludePad"],
    inputs: ["x"],
    run: (t, a) => {
      const k = a.pair("kernelSize");
      assert.ok(k !== undefined, "avgPool2d needs kernelSize");
      return avgPool2d(t.x, k, {
        stride: a.pair("stride"),
        padding: a.pair("padding"),
        ceilMode: a.bool("ceilMode"),
        countIncludePad: a.bool("countIncludePad"),
      });
    },
  },
};

function runCase(c: OpCase): void {
  const mapping = MAPPINGS[c.op];
  if (!mapping) assert.fail(`${c.name}: op "${c.op}" has no Tessera mapping in parity.test.ts`);

  // Every arg and input of the case must be understood, so nothing is silently ignored.
  const args = c.args ?? {};
  for (const key of Object.keys(args)) {
    assert.ok(mapping.args.includes(key), `${c.name}: arg "${key}" of op ${c.op} is not handled by the mapping (known: ${mapping.args.join(", ") || "none"})`);
  }
  const allowed = [...mapping.inputs, ...(mapping.optional ?? [])];
  for (const key of Object.keys(c.inputs)) {
    assert.ok(allowed.includes(key), `${c.name}: input "${key}" of op ${c.op} is not handled by the mapping`);
  }
  for (const key of mapping.inputs) assert.ok(c.inputs[key], `${c.name}: op ${c.op} needs input "${key}"`);

  const inputs: Inputs = {};
  for (const [key, t] of Object.entries(c.inputs)) inputs[key] = fixtureTensor(t, { requiresGrad: isFloatFixture(t) });

  const out = mapping.run(inputs, new Args(args, c.name));
  assert.equal(out.dtype, "float64", `${c.name}: output dtype`);
  assertClose(out, c.output, OUTPUT_TOL, `${c.name} output`);

  const gradKeys = Object.keys(c.grads ?? {});
  assert.ok(gradKeys.length > 0, `${c.name}: the fixture records no gradients`);
  assert.equal(out.requiresGrad, true, `${c.name}: output should require grad`);
  out.backward(fixtureTensor(c.gradOutput));
  for (const key of gradKeys) {
    const input = inputs[key];
    assert.ok(input, `${c.name}: a gradient is recorded for "${key}", which is not an input`);
    assert.ok(input.grad, `${c.name}: input "${key}" received no gradient`);
    assertClose(input.grad, c.grads[key], GRAD_TOL, `${c.name} grad of ${key}`);
  }
}

for (const file of ["ops.json", "linear.json", "conv2d.json", "pool2d.json"]) {
  describe(`parity with PyTorch: ${file}`, () => {
    const cases = loadCases(file);

    test("the file has cases with unique names", () => {
      assert.ok(cases.length > 0, `${file} has no cases`);
      const names = cases.map((c) => c.name);
      assert.equal(new Set(names).size, names.length, `${file}: duplicate case names`);
    });

    for (const c of cases) test(c.name, () => runCase(c));
  });
}

describe("parity harness", () => {
  test("an op without a mapping fails instead of being skipped", () => {
    const c: OpCase = {
      name: "unknown_op",
      op: "noSuchOp",
      args: {},
      inputs: { x: { shape: [1], data: [1] } },
      output: { shape: [1], data: [1] },
      gradOutput: { shape: [1], data: [1] },
      grads: { x: { shape: [1], data: [1] } },
    };
    assert.throws(() => runCase(c), /op "noSuchOp" has no Tessera mapping/);
  });

  test("an unknown arg fails", () => {
    const c: OpCase = {
      name: "exp_with_junk",
      op: "exp",
      args: { junk: 1 },
      inputs: { x: { shape: [1], data: [0] } },
      output: { shape: [1], data: [1] },
      gradOutput: { shape: [1], data: [1] },
      grads: { x: { shape: [1], data: [1] } },
    };
    assert.throws(() => runCase(c), /arg "junk"/);
  });

  test("a wrong expected value fails", () => {
    const c: OpCase = {
      name: "exp_wrong",
      op: "exp",
      args: {},
      inputs: { x: { shape: [2], data: [0, 1] } },
      output: { shape: [2], data: [1, 2.718] },
      gradOutput: { shape: [2], data: [1, 1] },
      grads: { x: { shape: [2], data: [1, Math.E] } },
    };
    assert.throws(() => runCase(c), /exp_wrong output: element 1 \(index \[1\]\) is 2\.718281828459045, expected 2\.718/);
  });
});
