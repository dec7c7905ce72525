/**
 * Parity with PyTorch for the activation and structure bricks: every case of
 * test/fixtures/act.json (made by tools/fixtures_act.py) runs through the public functional API
 * in float64; the output and, after out.backward(gradOutput), every recorded input gradient must
 * match PyTorch's numbers.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, erf, type Tensor } from "../../src/index.js";
import { assertClose, fixtureTensor, isFloatFixture, loadCases, type OpCase } from "../helpers/fixtures.js";

const F = nn.functional;
const TOL = { rtol: 1e-9, atol: 1e-10 };

type Pair = number | [number, number];

/** Typed access to a case's args; a wrong type fails the test with the arg's name. */
class Args {
  readonly used = new Set<string>();
  constructor(
    private readonly args: Record<string, unknown>,
    private readonly caseName: string,
  ) {}
  private get(key: string): unknown {
    this.used.add(key);
    return this.args[key];
  }
  private fail(key: string, what: string): never {
    assert.fail(`${this.caseName}: arg ${key} should be ${what}, got ${JSON.stringify(this.args[key])}`);
  }
  num(key: string): number {
    const v = this.get(key);
    if (typeof v !== "number") this.fail(key, "a number");
    return v;
  }
  optNum(key: string): number | undefined {
    return this.args[key] === undefined ? (this.used.add(key), undefined) : this.num(key);
  }
  optBool(key: string): boolean | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") this.fail(key, "a boolean");
    return v;
  }
  optString(key: string): string | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v !== "string") this.fail(key, "a string");
    return v;
  }
  /** A number or a list of numbers, or undefined. */
  optNums(key: string): number | number[] | undefined {
    const v = this.get(key);
    if (v === undefined || typeof v === "number") return v;
    if (Array.isArray(v) && v.every((x) => typeof x === "number")) return v as number[];
    this.fail(key, "a number or a list of numbers");
  }
  pair(key: string): Pair {
    const v = this.get(key);
    if (typeof v === "number") return v;
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number")) return [v[0], v[1]];
    this.fail(key, "a number or an [h, w] pair");
  }
}

type Inputs = Record<string, Tensor>;
type Run = (t: Inputs, a: Args) => Tensor;

const unary = (f: (x: Tensor) => Tensor): Run => (t) => f(t.x);
const geometry = (a: Args) => ({ dilation: a.pair("dilation"), padding: a.pair("padding"), stride: a.pair("stride") });

const MAPPINGS: Record<string, Run> = {
  relu: unary(F.relu),
  sigmoid: unary(F.sigmoid),
  tanh: unary(F.tanh),
  erf: unary(erf),
  selu: unary(F.selu),
  silu: unary(F.silu),
  relu6: unary(F.relu6),
  leakyRelu: (t, a) => F.leakyRelu(t.x, a.optNum("negativeSlope")),
  softmax: (t, a) => F.softmax(t.x, a.num("dim")),
  logSoftmax: (t, a) => F.logSoftmax(t.x, a.num("dim")),
  elu: (t, a) => F.elu(t.x, a.optNum("alpha")),
  gelu: (t, a) => {
    const approximate = a.optString("approximate");
    assert.ok(approximate === undefined || approximate === "none" || approximate === "tanh", `gelu approximate ${approximate}`);
    return F.gelu(t.x, approximate);
  },
  softplus: (t, a) => F.softplus(t.x, a.optNum("beta"), a.optNum("threshold")),
  hardtanh: (t, a) => F.hardtanh(t.x, a.optNum("minVal"), a.optNum("maxVal")),
  prelu: (t) => F.prelu(t.x, t.weight),
  maxout: (t, a) => F.maxout(t.x, a.num("pieces"), a.num("dim")),
  maxoutLinear: (t, a) => F.maxout(F.linear(t.x, t.weight, t.bias ?? null), a.num("pieces"), -1),
  embedding: (t, a) => F.embedding(t.index, t.weight, { paddingIdx: a.optNum("paddingIdx") }),
  interpolate: (t, a) => {
    const mode = a.optString("mode");
    assert.ok(mode === "nearest" || mode === "linear" || mode === "bilinear", `interpolate mode ${mode}`);
    return F.interpolate(t.x, {
      mode,
      size: a.optNums("size"),
      scaleFactor: a.optNums("scaleFactor"),
      alignCorners: a.optBool("alignCorners"),
      recomputeScaleFactor: a.optBool("recomputeScaleFactor"),
    });
  },
  unfold: (t, a) => F.unfold(t.x, a.pair("kernelSize"), geometry(a)),
  fold: (t, a) => F.fold(t.x, a.pair("outputSize"), a.pair("kernelSize"), geometry(a)),
};

function runCase(c: OpCase): void {
  const run = MAPPINGS[c.op];
  if (!run) assert.fail(`${c.name}: op "${c.op}" has no mapping in parity-act.test.ts`);
  const inputs: Inputs = {};
  for (const [key, t] of Object.entries(c.inputs)) inputs[key] = fixtureTensor(t, { requiresGrad: isFloatFixture(t) });
  const args = new Args(c.args ?? {}, c.name);
  const out = run(inputs, args);
  // Every arg of the case must have been read, so nothing is silently ignored.
  for (const key of Object.keys(c.args ?? {})) assert.ok(args.used.has(key), `${c.name}: arg "${key}" of op ${c.op} is not used by the mapping`);
  assert.equal(out.dtype, "float64", `${c.name}: output dtype`);
  assertClose(out, c.output, TOL, `${c.name} output`);

  const gradKeys = Object.keys(c.grads ?? {});
  assert.ok(gradKeys.length > 0, `${c.name}: the fixture records no gradients`);
  out.backward(fixtureTensor(c.gradOutput));
  for (const key of gradKeys) {
    const input = inputs[key];
    assert.ok(input?.grad, `${c.name}: input "${key}" received no gradient`);
    assertClose(input.grad, c.grads[key], TOL, `${c.name} grad of ${key}`);
  }
}

describe("parity with PyTorch: act.json", () => {
  const cases = loadCases("act.json");

  test("the file covers every brick, with unique names", () => {
    const names = cases.map((c) => c.name);
    assert.equal(new Set(names).size, names.length, "duplicate case names");
    const ops = new Set(cases.map((c) => c.op));
    for (const op of Object.keys(MAPPINGS)) assert.ok(ops.has(op), `no fixture case for ${op}`);
  });

  for (const c of cases) test(c.name, () => runCase(c));
});

describe("parity-act harness", () => {
  test("an unused arg fails instead of being ignored", () => {
    const c: OpCase = {
      name: "relu_with_junk",
      op: "relu",
      args: { junk: 1 },
      inputs: { x: { shape: [1], data: [1] } },
      output: { shape: [1], data: [1] },
      gradOutput: { shape: [1], data: [1] },
      grads: { x: { shape: [1], data: [1] } },
    };
    assert.throws(() => runCase(c), /arg "junk"/);
  });

  test("a wrong gradient fails", () => {
    const c: OpCase = {
      name: "relu6_wrong_grad_at_6",
      op: "relu6",
      args: {},
      inputs: { x: { shape: [1], data: [6] } },
      output: { shape: [1], data: [6] },
      gradOutput: { shape: [1], data: [1] },
      grads: { x: { shape: [1], data: [1] } }, // PyTorch gives 0 at the bound
    };
    assert.throws(() => runCase(c), /grad of x/);
  });
});
