/**
 * Parity with PyTorch for the pooling layers of test/fixtures/pool.json (tools/fixtures_pool.py):
 * every case runs through the functional form AND the nn module, in float64; the output, the
 * winners' indices (max pooling) and, after out.backward(gradOutput), the input gradient must
 * match PyTorch's numbers.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, type Tensor } from "../../src/index.js";
import { assertClose, fixtureTensor, isFloatFixture, loadFixture, type FixtureTensor, type OpCase } from "../helpers/fixtures.js";

const F = nn.functional;
const TOL = { rtol: 1e-9, atol: 1e-10 };

interface PoolCase extends OpCase {
  indices?: FixtureTensor;
}

type Value = number | number[] | null;

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
  size(key: string): Value | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (v === null || typeof v === "number") return v;
    if (Array.isArray(v) && v.every((x) => typeof x === "number" || x === null)) return v as number[];
    assert.fail(`${this.caseName}: arg ${key} should be a size, got ${JSON.stringify(v)}`);
  }
  /** A size that must be there and hold numbers only. */
  need(key: string): number | number[] {
    const v = this.size(key);
    assert.ok(v !== undefined && v !== null && (typeof v === "number" || v.every((x) => x !== null)), `${this.caseName}: needs ${key}`);
    return v;
  }
  opt(key: string): number | number[] | undefined {
    const v = this.size(key);
    return v === null ? undefined : v;
  }
  num(key: string): number {
    const v = this.get(key);
    if (typeof v !== "number") assert.fail(`${this.caseName}: arg ${key} should be a number, got ${JSON.stringify(v)}`);
    return v;
  }
  optNum(key: string): number | undefined {
    return this.args[key] === undefined ? (this.used.add(key), undefined) : this.num(key);
  }
  bool(key: string): boolean | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") assert.fail(`${this.caseName}: arg ${key} should be a boolean, got ${JSON.stringify(v)}`);
    return v;
  }
}

type Form = "functional" | "module";
type Inputs = Record<string, Tensor>;
type Result = { out: Tensor; indices?: Tensor };
type Pair = number | [number, number];
type Triple = number | [number, number, number];

const pair = (v: number | number[]) => v as Pair;
const triple = (v: number | number[]) => v as Triple;
const one = (v: number | number[]) => (typeof v === "number" ? v : v[0]);

const MAPPINGS: Record<string, (t: Inputs, a: Args, form: Form) => Result> = {
  maxPool1d: (t, a, form) => {
    const k = one(a.need("kernelSize"));
    const o = { stride: a.opt("stride") === undefined ? undefined : one(a.need("stride")), padding: one(a.opt("padding") ?? 0), dilation: one(a.opt("dilation") ?? 1), ceilMode: a.bool("ceilMode") };
    return form === "functional" ? F.maxPool1dWithIndices(t.x, k, o) : new nn.MaxPool1d(k, { ...o, returnIndices: true }).forwardWithIndices(t.x);
  },
  avgPool1d: (t, a, form) => {
    const k = one(a.need("kernelSize"));
    const o = { stride: a.opt("stride") === undefined ? undefined : one(a.need("stride")), padding: one(a.opt("padding") ?? 0), ceilMode: a.bool("ceilMode"), countIncludePad: a.bool("countIncludePad") };
    return { out: form === "functional" ? F.avgPool1d(t.x, k, o) : new nn.AvgPool1d(k, o).forward(t.x) };
  },
  maxPool2d: (t, a, form) => {
    const k = pair(a.need("kernelSize"));
    const s = a.opt("stride");
    const o = { stride: s === undefined ? undefined : pair(s), padding: pair(a.opt("padding") ?? 0), dilation: pair(a.opt("dilation") ?? 1), ceilMode: a.bool("ceilMode") };
    return form === "functional" ? F.maxPool2dWithIndices(t.x, k, o) : new nn.MaxPool2d(k, { ...o, returnIndices: true }).forwardWithIndices(t.x);
  },
  avgPool2d: (t, a, form) => {
    const k = pair(a.need("kernelSize"));
    const s = a.opt("stride");
    const o = { stride: s === undefined ? undefined : pair(s), padding: pair(a.opt("padding") ?? 0), ceilMode: a.bool("ceilMode"), countIncludePad: a.bool("countIncludePad"), divisorOverride: a.optNum("divisorOverride") };
    return { out: form === "functional" ? F.avgPool2d(t.x, k, o) : new nn.AvgPool2d(k, o).forward(t.x) };
  },
  maxPool3d: (t, a, form) => {
    const k = triple(a.need("kernelSize"));
    const s = a.opt("stride");
    const o = { stride: s === undefined ? undefined : triple(s), padding: triple(a.opt("padding") ?? 0), dilation: triple(a.opt("dilation") ?? 1), ceilMode: a.bool("ceilMode") };
    return form === "functional" ? F.maxPool3dWithIndices(t.x, k, o) : new nn.MaxPool3d(k, { ...o, returnIndices: true }).forwardWithIndices(t.x);
  },
  avgPool3d: (t, a, form) => {
    const k = triple(a.need("kernelSize"));
    const s = a.opt("stride");
    const o = { stride: s === undefined ? undefined : triple(s), padding: triple(a.opt("padding") ?? 0), ceilMode: a.bool("ceilMode"), countIncludePad: a.bool("countIncludePad"), divisorOverride: a.optNum("divisorOverride") };
    return { out: form === "functional" ? F.avgPool3d(t.x, k, o) : new nn.AvgPool3d(k, o).forward(t.x) };
  },
  lpPool1d: (t, a, form) => {
    const p = a.num("normType");
    const k = one(a.need("kernelSize"));
    const s = a.opt("stride");
    const o = { stride: s === undefined ? undefined : one(s), ceilMode: a.bool("ceilMode") };
    return { out: form === "functional" ? F.lpPool1d(t.x, p, k, o) : new nn.LPPool1d(p, k, o).forward(t.x) };
  },
  lpPool2d: (t, a, form) => {
    const p = a.num("normType");
    const k = pair(a.need("kernelSize"));
    const s = a.opt("stride");
    const o = { stride: s === undefined ? undefined : pair(s), ceilMode: a.bool("ceilMode") };
    return { out: form === "functional" ? F.lpPool2d(t.x, p, k, o) : new nn.LPPool2d(p, k, o).forward(t.x) };
  },
  adaptiveAvgPool1d: (t, a, form) => {
    const size = one(a.need("outputSize"));
    return { out: form === "functional" ? F.adaptiveAvgPool1d(t.x, size) : new nn.AdaptiveAvgPool1d(size).forward(t.x) };
  },
  adaptiveAvgPool2d: (t, a, form) => {
    const size = a.size("outputSize");
    assert.ok(size !== undefined, "adaptiveAvgPool2d needs outputSize");
    return { out: form === "functional" ? F.adaptiveAvgPool2d(t.x, size) : new nn.AdaptiveAvgPool2d(size).forward(t.x) };
  },
  adaptiveMaxPool1d: (t, a, form) => {
    const size = one(a.need("outputSize"));
    return form === "functional" ? F.adaptiveMaxPool1dWithIndices(t.x, size) : new nn.AdaptiveMaxPool1d(size, { returnIndices: true }).forwardWithIndices(t.x);
  },
  adaptiveMaxPool2d: (t, a, form) => {
    const size = a.size("outputSize");
    assert.ok(size !== undefined, "adaptiveMaxPool2d needs outputSize");
    return form === "functional" ? F.adaptiveMaxPool2dWithIndices(t.x, size) : new nn.AdaptiveMaxPool2d(size, { returnIndices: true }).forwardWithIndices(t.x);
  },
  maxUnpool2d: (t, a, form) => {
    const k = pair(a.need("kernelSize"));
    const s = a.opt("stride");
    const o = { stride: s === undefined ? undefined : pair(s), padding: pair(a.opt("padding") ?? 0) };
    const size = a.opt("outputSize");
    const outputSize = size === undefined ? undefined : typeof size === "number" ? [size] : size;
    return { out: form === "functional" ? F.maxUnpool2d(t.x, t.indices, k, { ...o, outputSize }) : new nn.MaxUnpool2d(k, o).forward(t.x, t.indices, outputSize) };
  },
};

function runCase(c: PoolCase, form: Form): void {
  const run = MAPPINGS[c.op];
  if (!run) assert.fail(`${c.name}: op "${c.op}" has no mapping in pooling-parity.test.ts`);
  const inputs: Inputs = {};
  for (const [key, t] of Object.entries(c.inputs)) inputs[key] = fixtureTensor(t, { requiresGrad: isFloatFixture(t) });
  const args = new Args(c.args ?? {}, c.name);
  const { out, indices } = run(inputs, args, form);
  // Every arg of the case was read, so none is silently ignored.
  for (const key of Object.keys(c.args ?? {})) assert.ok(args.used.has(key), `${c.name}: arg "${key}" is not handled by the mapping`);

  assert.equal(out.dtype, "float64", `${c.name}: output dtype`);
  assertClose(out, c.output, TOL, `${c.name} output`);
  if (c.indices) {
    assert.ok(indices, `${c.name}: the fixture records indices but the op returned none`);
    assert.equal(indices.dtype, "int32", `${c.name}: indices dtype`);
    assert.deepEqual([...indices.shape], c.indices.shape, `${c.name}: indices shape`);
    assert.deepEqual([...indices.data()], c.indices.data, `${c.name}: indices`);
  }
  const gradKeys = Object.keys(c.grads ?? {});
  assert.ok(gradKeys.length > 0, `${c.name}: the fixture records no gradients`);
  out.backward(fixtureTensor(c.gradOutput));
  for (const key of gradKeys) {
    const g = inputs[key]?.grad;
    assert.ok(g, `${c.name}: input "${key}" received no gradient`);
    assertClose(g, c.grads[key], TOL, `${c.name} grad of ${key}`);
  }
}

describe("parity with PyTorch: pool.json", () => {
  const cases = loadFixture<PoolCase>("pool.json").cases;

  test("the file covers every pooling op with unique case names", () => {
    const names = cases.map((c) => c.name);
    assert.equal(new Set(names).size, names.length, "duplicate case names");
    assert.deepEqual([...new Set(cases.map((c) => c.op))].sort(), Object.keys(MAPPINGS).sort());
  });

  for (const c of cases) {
    test(c.name, () => runCase(c, "functional"));
    test(`${c.name} (module)`, () => runCase(c, "module"));
  }
});
