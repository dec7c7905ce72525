import { test } from "node:test";
import assert from "node:assert/strict";
import { WasmBackend } from "../../src/backend/wasm/index.js";
import { cpuBackend } from "../../src/backend/cpu/index.js";
import type { Backend, SgdStep } from "../../src/backend/types.js";
import { Generator } from "../../src/random.js";

const gen = new Generator(11);
const randomArray = (n: number) => Float32Array.from({ length: n }, () => gen.normal());

function run(backend: Backend, p: Float32Array, g: Float32Array, buf: Float32Array | null, step: SgdStep) {
  const ps = backend.fromArray(p, "float32");
  const bs = buf ? backend.fromArray(buf, "float32") : null;
  backend.sgdUpdate(ps, backend.fromArray(g, "float32"), bs, step);
  return { p: backend.read(ps), buf: bs ? backend.read(bs) : null };
}

test("the wasm SGD kernel equals the cpu reference bit for bit in float32, for every option set", () => {
  const wasm = new WasmBackend();
  const options: Omit<SgdStep, "firstStep">[] = [
    { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false },
    { lr: 0.05, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false },
    { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01, nesterov: false },
    { lr: 0.02, momentum: 0.9, dampening: 0, weightDecay: 0.001, nesterov: true },
    { lr: 3.0, momentum: 0, dampening: 0, weightDecay: 0.5, nesterov: false },
  ];
  for (const o of options) {
    for (const firstStep of [true, false]) {
      for (const n of [1, 7, 1000]) {
        const p = randomArray(n), g = randomArray(n), buf = o.momentum ? randomArray(n) : null;
        const step = { ...o, firstStep };
        const a = run(cpuBackend, p, g, buf && buf.slice(), step);
        const b = run(wasm, p, g, buf && buf.slice(), step);
        assert.deepEqual(b.p, a.p, `param, ${JSON.stringify(step)} n=${n}`);
        assert.deepEqual(b.buf, a.buf, `buffer, ${JSON.stringify(step)} n=${n}`);
        assert.notDeepEqual(a.p, p, "the step changed the parameter");
      }
    }
  }
});
