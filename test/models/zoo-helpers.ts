/**
 * Helpers of the zoo tests: build a model in a scope, free its weights when done, run a forward
 * pass in eval mode without a graph.
 */
import assert from "node:assert/strict";

import { nn, noGrad, scope, randn, release, type Tensor } from "../../src/index.js";

/** Frees a model's weights at once (the wasm heap would otherwise hold every VGG until GC). */
export function dispose(m: nn.Module): void {
  for (const p of m.parameters()) release(p as unknown as Tensor);
  for (const [, b] of m.namedBuffers()) release(b);
}

/** Builds a model inside a scope (so initialisation temporaries go at once), uses it, frees it. */
export function withModel(make: () => nn.Module, fn: (m: nn.Module) => void): void {
  scope(() => {
    const m = make();
    try {
      fn(m);
    } finally {
      dispose(m);
    }
  });
}

/** Forward in eval mode without a graph; checks the output is [N, classes] and finite. */
export function forwardShape(m: nn.Module, input: number[], classes: number): void {
  m.eval();
  noGrad(() => {
    const x = randn(input);
    const y = m.forward(x);
    assert.deepEqual(y.shape, [input[0], classes], `${m.constructor.name} output shape`);
    const v = y.toArray() as number[][];
    assert.ok(v.flat().every(Number.isFinite), `${m.constructor.name}: finite outputs`);
    release(x);
    release(y);
  });
}

export function keys(m: nn.Module): string[] {
  return [...m.stateDict().keys()];
}
