/**
 * Backend.optimUpdate: the wasm backend equals the cpu reference bit for bit (float32 and
 * float64) for every rule, and on wasm the optimizers' state survives the scopes of the steps.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as ts from "../../src/index.js";
import { WasmBackend } from "../../src/backend/wasm/index.js";
import { cpuBackend } from "../../src/backend/cpu/index.js";
import type { Backend, DType, OptimRule, TypedArray } from "../../src/backend/types.js";
import { Generator } from "../../src/random.js";

const gen = new Generator(17);
const randomArray = (n: number) => Float64Array.from({ length: n }, () => gen.normal());
/** State as it is in use: second moments ≥ 1, running gradient means small (so v − a² > 0). */
function stateLike(name: string, n: number): Float64Array {
  const x = randomArray(n);
  if (/Sq|sum|square|Inf|accDelta/.test(name)) return x.map((v) => 1 + Math.abs(v));
  return name === "gradAvg" ? x.map((v) => 0.1 * v) : x;
}

const RULES: { rule: OptimRule; state: string[] }[] = [
  { rule: { kind: "adagrad", clr: 0.1, eps: 1e-10, weightDecay: 0 }, state: ["sum"] },
  { rule: { kind: "adagrad", clr: 0.05, eps: 1e-6, weightDecay: 0.1 }, state: ["sum"] },
  { rule: { kind: "adadelta", lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0.01 }, state: ["squareAvg", "accDelta"] },
  { rule: { kind: "rmsprop", lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false }, state: ["squareAvg"] },
  { rule: { kind: "rmsprop", lr: 0.01, alpha: 0.9, eps: 1e-8, weightDecay: 0.1, momentum: 0.9, centered: true }, state: ["squareAvg", "gradAvg", "momentumBuffer"] },
  { rule: { kind: "adam", beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decay: 1, stepSize: 0.01, bc2Sqrt: 0.3, amsgrad: false }, state: ["expAvg", "expAvgSq"] },
  { rule: { kind: "adam", beta1: 0.8, beta2: 0.9, eps: 1e-8, weightDecay: 0, decay: 0.999, stepSize: 0.02, bc2Sqrt: 0.5, amsgrad: true }, state: ["expAvg", "expAvgSq", "maxExpAvgSq"] },
  { rule: { kind: "adamax", beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.05, clr: 0.02 }, state: ["expAvg", "expInf"] },
  { rule: { kind: "nadam", beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.05, bc2: 0.01, gradCoef: -0.01, avgCoef: -0.08 }, state: ["expAvg", "expAvgSq"] },
];

function run(backend: Backend, dtype: DType, p: Float64Array, g: Float64Array, state: Record<string, Float64Array>, rule: OptimRule) {
  const ps = backend.fromArray(p, dtype);
  const ss = Object.fromEntries(Object.entries(state).map(([k, v]) => [k, backend.fromArray(v, dtype)]));
  backend.optimUpdate(ps, backend.fromArray(g, dtype), ss, rule);
  const out: Record<string, TypedArray> = { param: backend.read(ps) };
  for (const [k, s] of Object.entries(ss)) out[k] = backend.read(s);
  return out;
}

test("the wasm optimizer updates equal the cpu reference bit for bit, float32 and float64, every rule", () => {
  const wasm = new WasmBackend();
  for (const { rule, state } of RULES) {
    for (const dtype of ["float32", "float64"] as DType[]) {
      for (const n of [1, 7, 1000]) {
        const p = randomArray(n);
        const g = randomArray(n);
        const s = Object.fromEntries(state.map((k) => [k, stateLike(k, n)]));
        const a = run(cpuBackend, dtype, p, g, s, rule);
        const b = run(wasm, dtype, p, g, s, rule);
        const label = `${rule.kind} ${dtype} n=${n}`;
        assert.deepEqual(b, a, label);
        for (const v of Object.values(a)) assert.ok(v.every(Number.isFinite), `${label}: finite`);
        assert.ok(a.param.some((v, i) => v !== Math.fround(p[i]) && v !== p[i]), `${label}: the step changed the parameter`);
      }
    }
  }
});

test("a missing state buffer is a clear error", () => {
  assert.throws(
    () => cpuBackend.optimUpdate(cpuBackend.fromArray([1, 2], "float64"), cpuBackend.fromArray([1, 2], "float64"), {}, RULES[0].rule),
    /optimUpdate: state buffer sum is missing, the parameter has 2 elements/,
  );
});

test("on wasm the optimizers' state is kept across scopes; memory stays flat; same numbers as without scopes", () => {
  const previous = ts.getBackend().name;
  ts.setBackend("wasm");
  try {
    const memory = ts.getBackend().memory!;
    for (const make of [
      (p: ts.Tensor[]) => new ts.optim.Adam(p, { lr: 0.01, amsgrad: true }),
      (p: ts.Tensor[]) => new ts.optim.RMSprop(p, { momentum: 0.9, centered: true }),
      (p: ts.Tensor[]) => new ts.optim.NAdam(p),
      (p: ts.Tensor[]) => new ts.optim.Adadelta(p),
    ]) {
      const runSteps = (scoped: boolean) => {
        ts.manualSeed(5);
        // 1000 × 4 floats: larger than the 1 KiB that scopes copy out instead of releasing.
        const w = new ts.nn.Parameter(ts.randn([1000, 4]));
        const x = ts.randn([4, 3]).keep();
        const opt = make([w]);
        const used: number[] = [];
        for (let i = 0; i < 6; i++) {
          const step = () => {
            opt.zeroGrad();
            w.matmul(x).square().mean().backward();
            ts.optim.clipGradNorm([w], 1.0);
            opt.step();
          };
          if (scoped) ts.scope(step);
          else step();
          used.push(memory.stats().usedBytes);
        }
        const state = opt.stateDict().state[0];
        return { w: [...w.data()], state: Object.fromEntries(Object.entries(state).map(([k, v]) => [k, typeof v === "number" ? v : [...v.data()]])), used };
      };
      const scoped = runSteps(true);
      assert.equal(scoped.used[5], scoped.used[2], `${scoped.used}: no growth from step to step`);
      const plain = runSteps(false);
      assert.deepEqual(scoped.w, plain.w);
      assert.deepEqual(scoped.state, plain.state);
    }
  } finally {
    ts.setBackend(previous);
  }
});
