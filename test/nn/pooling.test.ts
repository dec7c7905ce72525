/**
 * The pooling layers beyond MaxPool2d / AvgPool2d: float64 gradchecks of every functional form,
 * hand-computed values, module behaviour (configuration, repr, unbatched inputs, Sequential,
 * train/eval), the index conventions that MaxUnpool2d consumes, and the error messages of
 * impossible configurations. PyTorch parity is in pooling-parity.test.ts.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, gradcheck, manualSeed, tensor, zeros, ones, ShapeError, ValueError, DTypeError, type Tensor } from "../../src/index.js";
import { rand64, f64, i32 } from "../helpers/tensors.js";

const F = nn.functional;

function throwsWith(fn: () => unknown, cls: new (...a: never[]) => Error, fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
    return true;
  });
}

let seed = 4400;
function check(name: string, shape: number[], fn: (x: Tensor) => Tensor, map?: (v: number) => number): void {
  const s = seed++;
  test(`gradcheck: ${name}`, () => {
    manualSeed(s);
    assert.equal(gradcheck(fn, [rand64(shape, { map })]), true);
  });
}

const flat = (t: Tensor) => [...t.data()];

describe("pooling gradchecks (float64, central differences)", () => {
  check("maxPool1d k3 s2 p1", [2, 3, 9], (x) => F.maxPool1d(x, 3, { stride: 2, padding: 1 }));
  check("maxPool1d k3 d2 ceilMode", [1, 2, 10], (x) => F.maxPool1d(x, 3, { stride: 2, dilation: 2, ceilMode: true }));
  check("maxPool1d k3 s1 (overlapping) unbatched", [2, 7], (x) => F.maxPool1d(x, 3, { stride: 1 }));
  check("avgPool1d k3 s2 p1 countIncludePad false ceilMode", [2, 2, 8], (x) => F.avgPool1d(x, 3, { stride: 2, padding: 1, countIncludePad: false, ceilMode: true }));
  check("avgPool1d k2 s3 (stride > kernel)", [1, 2, 10], (x) => F.avgPool1d(x, 2, { stride: 3 }));
  check("maxPool3d k2", [1, 2, 3, 4, 5], (x) => F.maxPool3d(x, 2));
  check("maxPool3d k3 s2 p1 ceilMode", [1, 1, 5, 6, 5], (x) => F.maxPool3d(x, 3, { stride: 2, padding: 1, ceilMode: true }));
  check("maxPool3d k [2,3,2] d [1,1,2] unbatched", [2, 3, 5, 6], (x) => F.maxPool3d(x, [2, 3, 2], { stride: 1, dilation: [1, 1, 2] }));
  check("avgPool3d k3 s2 p1", [1, 2, 5, 5, 6], (x) => F.avgPool3d(x, 3, { stride: 2, padding: 1 }));
  check("avgPool3d k3 s2 p1 ceilMode countIncludePad false", [1, 1, 6, 6, 6], (x) => F.avgPool3d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }));
  check("avgPool3d k2 divisorOverride 3", [1, 2, 4, 4, 5], (x) => F.avgPool3d(x, 2, { stride: 1, divisorOverride: 3 }));
  check("avgPool2d k3 s2 p1 divisorOverride 4 ceilMode", [1, 2, 7, 8], (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, divisorOverride: 4 }));
  check("lpPool1d p2 k3 s2", [2, 2, 9], (x) => F.lpPool1d(x, 2, 3, { stride: 2 }));
  check("lpPool2d p2 k2", [1, 2, 4, 6], (x) => F.lpPool2d(x, 2, 2));
  check("lpPool2d p3 k [2,3] ceilMode (positive inputs)", [1, 2, 5, 7], (x) => F.lpPool2d(x, 3, [2, 3], { ceilMode: true }), (v) => Math.abs(v) + 0.2);
  check("lpPool2d p1.5 k3 s2 (positive inputs)", [1, 1, 7, 7], (x) => F.lpPool2d(x, 1.5, 3, { stride: 2 }), (v) => Math.abs(v) + 0.2);
  check("adaptiveAvgPool1d 7 → 3", [2, 2, 7], (x) => F.adaptiveAvgPool1d(x, 3));
  check("adaptiveAvgPool2d 7x9 → 3x4", [1, 2, 7, 9], (x) => F.adaptiveAvgPool2d(x, [3, 4]));
  check("adaptiveAvgPool2d 3x4 → 5x6 (upsampling windows)", [1, 2, 3, 4], (x) => F.adaptiveAvgPool2d(x, [5, 6]));
  check("adaptiveAvgPool2d 8x8 → 4 (divides)", [1, 2, 8, 8], (x) => F.adaptiveAvgPool2d(x, 4));
  check("globalAvgPool2d", [2, 3, 4, 5], (x) => F.globalAvgPool2d(x));
  check("adaptiveMaxPool2d 7x9 → 3x4", [1, 2, 7, 9], (x) => F.adaptiveMaxPool2d(x, [3, 4]));
  check("adaptiveMaxPool2d 3x4 → 5x6 (a winner serves several windows)", [1, 1, 3, 4], (x) => F.adaptiveMaxPool2d(x, [5, 6]));
  check("adaptiveMaxPool1d 7 → 3", [2, 2, 7], (x) => F.adaptiveMaxPool1d(x, 3));

  test("gradcheck: maxUnpool2d (gradient = output gradient at each index)", () => {
    // Non-overlapping windows, so every index is distinct; with a repeated index PyTorch's
    // gradient (a gather, kept here) is not the derivative of the write: see the modules tests.
    manualSeed(seed++);
    const source = rand64([1, 2, 7, 9], { requiresGrad: false });
    const { out, indices } = F.maxPool2dWithIndices(source, [2, 3], { padding: [1, 1] });
    assert.equal(gradcheck((x) => F.maxUnpool2d(x, indices, [2, 3], { padding: [1, 1], outputSize: [7, 9] }), [out.detach().requiresGrad_()]), true);
  });
});

describe("hand-computed values", () => {
  test("MaxPool1d: PyTorch's flat index is the position in the sequence; padding never wins", () => {
    const x = f64([[[3, -1, 4, 1, -5, 9, 2]]]);
    const { out, indices } = new nn.MaxPool1d(3, { stride: 2, padding: 1, returnIndices: true }).forwardWithIndices(x);
    // windows [pad,3,-1] [-1,4,1] [1,-5,9] [9,2,pad]
    assert.deepEqual(flat(out), [3, 4, 9, 9]);
    assert.deepEqual(flat(indices), [0, 2, 5, 5]);
    assert.equal(indices.dtype, "int32");
  });

  test("MaxPool1d ceilMode keeps a partial last window, but never one starting in the right padding", () => {
    const x = f64([[[1, 2, 3, 4, 5, 6, 7, 8]]]);
    // L=8, k=3, s=3, p=1: floor ⌊7/3⌋+1 = 3; ceil ⌈7/3⌉+1 = 4, but window 4 would start at
    // position 3·3 - 1 = 8, in the right padding ((out-1)·s = 9 >= L + p = 9), so it is dropped
    assert.deepEqual(flat(F.maxPool1d(x, 3, { stride: 3, padding: 1 })), [2, 5, 8]);
    assert.deepEqual([...F.maxPool1d(x, 3, { stride: 3, padding: 1, ceilMode: true }).shape], [1, 1, 3]);
    // L=5, k=2, s=2, p=1: ceil ⌈5/2⌉+1 = 4, window 4 would start at 3·2 - 1 = 5 (right padding): dropped
    assert.deepEqual(flat(F.maxPool1d(f64([[[1, 2, 3, 4, 5]]]), 2, { stride: 2, padding: 1, ceilMode: true })), [1, 3, 5]);
    // without padding the partial window [5] counts
    assert.deepEqual(flat(F.maxPool1d(f64([[[1, 2, 3, 4, 5]]]), 2, { ceilMode: true })), [2, 4, 5]);
  });

  test("AvgPool1d: countIncludePad divides by the kernel, otherwise by the cells inside", () => {
    const x = f64([[[2, 4, 6, 8]]]);
    assert.deepEqual(flat(F.avgPool1d(x, 2, { padding: 1 })), [1, 5, 4]);
    assert.deepEqual(flat(F.avgPool1d(x, 2, { padding: 1, countIncludePad: false })), [2, 5, 8]);
  });

  test("MaxPool3d: the max of each 2x2x2 block and its flat index (d*H + h)*W + w", () => {
    const x = tensor(Array.from({ length: 2 * 4 * 4 }, (_, i) => (i * 7) % 11), { shape: [1, 1, 2, 4, 4], dtype: "float64" });
    const { out, indices } = F.maxPool3dWithIndices(x, 2);
    const v = x.data();
    const want: number[] = [];
    const wantIdx: number[] = [];
    for (let oh = 0; oh < 2; oh++) {
      for (let ow = 0; ow < 2; ow++) {
        let best = -Infinity;
        let at = -1;
        for (let d = 0; d < 2; d++) for (let h = 2 * oh; h < 2 * oh + 2; h++) for (let w = 2 * ow; w < 2 * ow + 2; w++) {
          const i = (d * 4 + h) * 4 + w;
          if (v[i] > best) [best, at] = [v[i], i];
        }
        want.push(best);
        wantIdx.push(at);
      }
    }
    assert.deepEqual([...out.shape], [1, 1, 1, 2, 2]);
    assert.deepEqual(flat(out), want);
    assert.deepEqual(flat(indices), wantIdx);
  });

  test("MaxPool3d: a NaN wins its window (PyTorch), and the gradient goes to it", () => {
    const x = f64([1, 5, NaN, 2, 3, 4, 0, 1], [1, 1, 2, 2, 2], true);
    const { out, indices } = F.maxPool3dWithIndices(x, 2);
    assert.ok(Number.isNaN(out.item()));
    assert.deepEqual(flat(indices), [2]);
    out.sum().backward();
    assert.deepEqual(flat(x.grad!), [0, 0, 1, 0, 0, 0, 0, 0]);
  });

  test("AvgPool3d: divisorOverride replaces the window size; countIncludePad false counts only inside cells", () => {
    const x = ones([1, 1, 2, 2, 2], { dtype: "float64" });
    assert.deepEqual(flat(F.avgPool3d(x, 2, { divisorOverride: 2 })), [4]);
    assert.deepEqual(flat(F.avgPool3d(x, 2, { divisorOverride: -4 })), [-2]);
    // padding 1, stride 2: each window holds one real cell of 8
    assert.deepEqual(flat(F.avgPool3d(x, 2, { stride: 2, padding: 1 })), Array(8).fill(1 / 8));
    assert.deepEqual(flat(F.avgPool3d(x, 2, { stride: 2, padding: 1, countIncludePad: false })), Array(8).fill(1));
  });

  test("AvgPool2d divisorOverride: sum / divisor", () => {
    const x = f64([[[[1, 2], [3, 4]]]]);
    assert.deepEqual(flat(new nn.AvgPool2d(2, { divisorOverride: 5 }).forward(x)), [2]);
  });

  test("LPPool: p=2 is the Euclidean norm of each window, p=1 the plain sum", () => {
    const x = f64([[[3, 4, 0, 0, 6, 8]]], undefined, true);
    const y = F.lpPool1d(x, 2, 2);
    assert.deepEqual(flat(y), [5, 0, 10]);
    assert.deepEqual(flat(F.lpPool1d(x, 1, 2)), [7, 0, 14]);
    // d/dx sqrt(Σx²) = x / norm; the all-zero window passes 0 (PyTorch), not NaN
    y.sum().backward();
    const want = [3 / 5, 4 / 5, 0, 0, 6 / 10, 8 / 10];
    flat(x.grad!).forEach((g, i) => assert.ok(Math.abs(g - want[i]) < 1e-15, `grad[${i}] = ${g}, want ${want[i]}`));
  });

  test("LPPool2d: ceilMode's partial window is rescaled by the full kernel size (PyTorch's formula)", () => {
    const x = ones([1, 1, 3, 3], { dtype: "float64" });
    // windows: full 2x2 (sum 4), right column 2x1, bottom row 1x2, corner 1x1: avg 1 each, × 4
    assert.deepEqual(flat(F.lpPool2d(x, 2, 2, { ceilMode: true })), [2, 2, 2, 2]);
  });

  test("AdaptiveAvgPool1d: windows ⌊i·L/out⌋ .. ⌈(i+1)·L/out⌉ overlap when out does not divide L", () => {
    const x = f64([[[1, 2, 3, 4, 5]]]);
    // L=5, out=3: [0,2) [1,4) [3,5)
    assert.deepEqual(flat(F.adaptiveAvgPool1d(x, 3)), [1.5, 3, 4.5]);
    // out > L repeats cells: L=2, out=3: [0,1) [0,2) [1,2)
    assert.deepEqual(flat(F.adaptiveAvgPool1d(f64([[[2, 4]]]), 3)), [2, 3, 4]);
  });

  test("AdaptiveMaxPool2d: windows and indices; null keeps a size", () => {
    const x = tensor(Array.from({ length: 15 }, (_, i) => (i * 4) % 15), { shape: [1, 1, 3, 5], dtype: "float64" });
    const { out, indices } = new nn.AdaptiveMaxPool2d([null, 2], { returnIndices: true }).forwardWithIndices(x);
    assert.deepEqual([...out.shape], [1, 1, 3, 2]);
    // columns [0,3) and [2,5) of each row
    const v = x.data();
    for (let h = 0; h < 3; h++) {
      for (const [j, lo, hi] of [[0, 0, 3], [1, 2, 5]]) {
        const row = [...v.slice(h * 5 + lo, h * 5 + hi)];
        const best = Math.max(...row);
        assert.equal(out.data()[h * 2 + j], best);
        assert.equal(indices.data()[h * 2 + j], h * 5 + lo + row.indexOf(best));
      }
    }
  });
});

describe("modules", () => {
  test("configuration, defaults and repr", () => {
    const m1 = new nn.MaxPool1d(3);
    assert.deepEqual([m1.kernelSize, m1.stride, m1.padding, m1.dilation, m1.ceilMode, m1.returnIndices], [3, 3, 0, 1, false, false]);
    assert.equal(m1.extraRepr(), "kernelSize=3, stride=3");
    assert.equal(new nn.MaxPool1d([3], { stride: 1, padding: 1, dilation: 2, ceilMode: true, returnIndices: true }).extraRepr(),
      "kernelSize=3, stride=1, padding=1, dilation=2, ceilMode=true, returnIndices=true");
    assert.equal(new nn.AvgPool1d(2, { countIncludePad: false }).extraRepr(), "kernelSize=2, stride=2, countIncludePad=false");
    const m3 = new nn.MaxPool3d([2, 3, 2], { padding: [1, 1, 0] });
    assert.deepEqual(m3.stride, [2, 3, 2]);
    assert.equal(m3.extraRepr(), "kernelSize=[2, 3, 2], stride=[2, 3, 2], padding=[1, 1, 0]");
    assert.equal(new nn.AvgPool3d(2, { divisorOverride: 3 }).extraRepr(), "kernelSize=2, stride=2, divisorOverride=3");
    assert.equal(new nn.AvgPool2d(2, { ceilMode: true, countIncludePad: false, divisorOverride: 3 }).extraRepr(), "kernelSize=2, stride=2, ceilMode=true, countIncludePad=false, divisorOverride=3");
    assert.equal(new nn.MaxPool2d(2, { returnIndices: true }).extraRepr(), "kernelSize=2, stride=2, returnIndices=true");
    assert.equal(new nn.LPPool2d(2, 3, { stride: 2 }).extraRepr(), "normType=2, kernelSize=3, stride=2");
    assert.equal(new nn.LPPool1d(1.5, 2).extraRepr(), "normType=1.5, kernelSize=2, stride=2");
    assert.equal(new nn.AdaptiveAvgPool2d([null, 7]).extraRepr(), "outputSize=[null, 7]");
    assert.equal(new nn.AdaptiveMaxPool2d(1, { returnIndices: true }).extraRepr(), "outputSize=1, returnIndices=true");
    assert.equal(new nn.MaxUnpool2d(2).extraRepr(), "kernelSize=2, stride=2");
    assert.equal(String(new nn.Sequential(new nn.MaxPool1d(2), new nn.AdaptiveAvgPool1d(1))), "Sequential(\n  (0): MaxPool1d(kernelSize=2, stride=2)\n  (1): AdaptiveAvgPool1d(outputSize=1)\n)  # 0 params");
  });

  test("no parameters or buffers; train and eval give the same numbers", () => {
    const x = rand64([2, 3, 4, 6, 6], { requiresGrad: false });
    for (const m of [new nn.MaxPool3d(2), new nn.AvgPool3d(3, { stride: 2, padding: 1 })]) {
      assert.equal(m.stateDict().size, 0);
      const a = flat(m.train().forward(x));
      assert.deepEqual(flat(m.eval().forward(x)), a);
    }
    const img = rand64([2, 3, 7, 7], { requiresGrad: false });
    for (const m of [new nn.LPPool2d(2, 2), new nn.AdaptiveAvgPool2d(3), new nn.AdaptiveMaxPool2d(3)]) {
      assert.equal(m.stateDict().size, 0);
      const a = flat(m.train().forward(img));
      assert.deepEqual(flat(m.eval().forward(img)), a);
    }
  });

  test("unbatched inputs pool like a batch of one", () => {
    manualSeed(11);
    const seqs = rand64([3, 9], { requiresGrad: false });
    const vols = rand64([2, 4, 5, 6], { requiresGrad: false });
    const imgs = rand64([2, 7, 6], { requiresGrad: false });
    const cases: [nn.Module, Tensor][] = [
      [new nn.MaxPool1d(3, { stride: 2 }), seqs], [new nn.AvgPool1d(3, { padding: 1 }), seqs], [new nn.LPPool1d(2, 3), seqs],
      [new nn.AdaptiveAvgPool1d(4), seqs], [new nn.AdaptiveMaxPool1d(4), seqs],
      [new nn.MaxPool3d(2), vols], [new nn.AvgPool3d(2, { stride: 1 }), vols],
      [new nn.LPPool2d(2, 2), imgs], [new nn.AdaptiveAvgPool2d([3, 2]), imgs], [new nn.AdaptiveMaxPool2d([3, 2]), imgs],
      [new nn.AvgPool2d(2, { divisorOverride: 3 }), imgs],
    ];
    for (const [m, x] of cases) {
      const one = m.forward(x);
      const batched = m.forward(x.unsqueeze(0));
      assert.deepEqual([...batched.shape], [1, ...one.shape], m.describe());
      assert.deepEqual(flat(one), flat(batched), m.describe());
    }
  });

  test("the 1-D forms equal 2-D pooling of a height-1 image", () => {
    const x = rand64([2, 3, 11], { requiresGrad: false });
    const img = x.unsqueeze(2);
    assert.deepEqual(flat(F.maxPool1d(x, 3, { stride: 2, padding: 1, dilation: 2 })), flat(F.maxPool2d(img, [1, 3], { stride: [1, 2], padding: [0, 1], dilation: [1, 2] })));
    assert.deepEqual(flat(F.avgPool1d(x, 4, { stride: 3, padding: 2, ceilMode: true })), flat(F.avgPool2d(img, [1, 4], { stride: [1, 3], padding: [0, 2], ceilMode: true })));
  });

  test("global average pooling: AdaptiveAvgPool2d(1) = globalAvgPool2d = mean over H, W", () => {
    const x = rand64([2, 5, 7, 3], { requiresGrad: false });
    const g = F.globalAvgPool2d(x);
    assert.deepEqual([...g.shape], [2, 5, 1, 1]);
    assert.deepEqual(flat(new nn.AdaptiveAvgPool2d(1).forward(x)), flat(g));
    const m = x.mean([2, 3]).data();
    g.data().forEach((v, i) => assert.ok(Math.abs(v - m[i]) < 1e-15));
  });

  test("adaptive pooling that divides the input equals plain pooling with kernel = stride = in/out", () => {
    const x = rand64([2, 3, 8, 12], { requiresGrad: false });
    assert.deepEqual(flat(F.adaptiveMaxPool2d(x, [4, 3])), flat(F.maxPool2d(x, [2, 4])));
    const a = F.adaptiveAvgPool2d(x, [2, 6]).data();
    const b = F.avgPool2d(x, [4, 2]).data();
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-14));
  });

  test("MaxPool2d(returnIndices) → MaxUnpool2d puts each max back in place, zeros elsewhere", () => {
    const x = f64([[[[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]]]);
    const pool = new nn.MaxPool2d(2, { returnIndices: true });
    const unpool = new nn.MaxUnpool2d(2);
    const { out, indices } = pool.forwardWithIndices(x);
    assert.deepEqual(flat(pool.forward(x)), flat(out));
    const back = unpool.forward(out, indices);
    assert.deepEqual(back.toArray(), [[[[0, 0, 0, 0], [0, 6, 0, 8], [3, 0, 0, 0], [0, 0, 0, 4]]]]);
    // an odd input pools to the same size as the even one below it: outputSize (or the tensor) picks it
    const odd = f64([[[[1, 9, 2, 4, 7], [5, 6, 7, 8, 9], [3, 2, 1, 0, 0], [1, 2, 3, 4, 1], [0, 0, 0, 0, 5]]]]);
    const r = pool.forwardWithIndices(odd);
    // the default size 4x4 cannot hold index 18 (row 3, column 3 of the 5x5 input): PyTorch refuses too
    throwsWith(() => unpool.forward(r.out, r.indices), ValueError, ["found index 18", "4x4"]);
    const restored = unpool.forward(r.out, r.indices, odd);
    assert.deepEqual([...restored.shape], [1, 1, 5, 5]);
    assert.deepEqual(flat(restored), flat(F.maxUnpool2d(r.out, r.indices, 2, { outputSize: [5, 5] })));
    assert.equal(restored.data()[1], 9);
  });

  test("MaxUnpool2d: overlapping windows write a shared winner once; its gradient reads the output once per use", () => {
    const x = f64([[[[0, 0, 0], [0, 9, 0], [0, 0, 0]]]]);
    const { out, indices } = F.maxPool2dWithIndices(x, 2, { stride: 1 });
    assert.deepEqual(flat(indices), [4, 4, 4, 4]);
    const v = out.detach().requiresGrad_();
    const up = F.maxUnpool2d(v, indices, 2, { stride: 1 });
    assert.deepEqual(flat(up), [0, 0, 0, 0, 9, 0, 0, 0, 0]); // written, not summed to 36
    up.mul(f64([[[[0, 0, 0], [0, 2, 0], [0, 0, 0]]]])).sum().backward();
    assert.deepEqual(flat(v.grad!), [2, 2, 2, 2]);
  });

  test("MaxUnpool2d takes AdaptiveMaxPool2d's indices too", () => {
    const x = rand64([1, 2, 6, 6], { requiresGrad: false });
    const { out, indices } = F.adaptiveMaxPool2dWithIndices(x, 3);
    const back = F.maxUnpool2d(out, indices, 2, { outputSize: [6, 6] });
    const xv = x.data();
    back.data().forEach((v, i) => assert.ok(v === 0 || v === xv[i]));
    assert.equal(flat(back).filter((v) => v !== 0).length, 18);
  });

  test("pooling layers in a Sequential train end to end", () => {
    manualSeed(3);
    const model = new nn.Sequential(new nn.MaxPool1d(2), new nn.LPPool1d(2, 2), new nn.AdaptiveAvgPool1d(3), new nn.Flatten());
    const x = rand64([4, 2, 12]);
    const y = model.forward(x);
    assert.deepEqual([...y.shape], [4, 6]);
    y.sum().backward();
    assert.ok(x.grad && flat(x.grad).some((v) => v !== 0));
  });
});

describe("errors name the layer, the input shape and the rule", () => {
  test("kernel larger than the padded input", () => {
    throwsWith(() => new nn.MaxPool1d(5).forward(zeros([1, 2, 4])), ShapeError, ["MaxPool1d", "[1, 2, 4]", "rule: dilation*(kernel-1)+1 <= input + 2*padding"]);
    throwsWith(() => new nn.MaxPool3d(3, { dilation: 2 }).forward(zeros([1, 1, 4, 8, 8])), ShapeError, ["MaxPool3d", "[1, 1, 4, 8, 8]", "spans 5"]);
    throwsWith(() => new nn.AvgPool3d([1, 1, 4]).forward(zeros([1, 1, 2, 2, 3])), ShapeError, ["AvgPool3d", "[1, 1, 2, 2, 3]", "rule:"]);
    throwsWith(() => new nn.LPPool2d(2, 3).forward(zeros([1, 1, 2, 5])), ShapeError, ["LPPool2d", "[1, 1, 2, 5]", "rule:"]);
    throwsWith(() => F.avgPool1d(zeros([2, 3]), 4), ShapeError, ["avgPool1d", "[2, 3]"]);
  });

  test("zero or negative stride and kernel, negative padding, dilation 0 (at construction)", () => {
    throwsWith(() => new nn.MaxPool1d(2, { stride: 0 }), ValueError, ["MaxPool1d", "stride must be >= 1", "0"]);
    throwsWith(() => new nn.AvgPool3d(2, { stride: [1, -1, 1] }), ValueError, ["AvgPool3d", "stride must be >= 1"]);
    throwsWith(() => new nn.MaxPool3d(0), ValueError, ["MaxPool3d", "kernelSize must be >= 1"]);
    throwsWith(() => new nn.AvgPool1d(3, { padding: -1 }), ValueError, ["AvgPool1d", "padding must be >= 0"]);
    throwsWith(() => new nn.MaxPool3d(2, { dilation: 0 }), ValueError, ["MaxPool3d", "dilation must be >= 1"]);
    throwsWith(() => new nn.MaxPool3d([2, 2]), ValueError, ["MaxPool3d", "a list of 3 integers"]);
    throwsWith(() => new nn.LPPool2d(2, 2, { stride: 0 }), ValueError, ["LPPool2d", "stride must be >= 1"]);
    throwsWith(() => F.maxPool3d(zeros([1, 1, 4, 4, 4]), 2, { stride: 0 }), ValueError, ["maxPool3d with input [1, 1, 4, 4, 4]", "stride must be >= 1"]);
  });

  test("padding more than half the kernel", () => {
    throwsWith(() => new nn.MaxPool1d(3, { padding: 2 }).forward(zeros([1, 1, 8])), ValueError, ["MaxPool1d", "[1, 1, 8]", "padding 2 exceeds half the kernel size 3", "rule: padding <= kernel/2"]);
    throwsWith(() => new nn.AvgPool3d(2, { padding: [0, 2, 0] }).forward(zeros([1, 1, 4, 4, 4])), ValueError, ["AvgPool3d", "rule: padding <= kernel/2"]);
  });

  test("output size below 1 and empty inputs of adaptive pooling", () => {
    throwsWith(() => new nn.AdaptiveAvgPool2d(0), ValueError, ["AdaptiveAvgPool2d", "outputSize must be an integer >= 1"]);
    throwsWith(() => new nn.AdaptiveMaxPool2d([2, -1]), ValueError, ["AdaptiveMaxPool2d", "outputSize"]);
    throwsWith(() => new nn.AdaptiveAvgPool1d(null as unknown as number), ValueError, ["AdaptiveAvgPool1d"]);
    throwsWith(() => F.adaptiveAvgPool2d(zeros([1, 1, 4, 4]), [2, 0]), ValueError, ["adaptiveAvgPool2d with input [1, 1, 4, 4]", "integers >= 1"]);
    throwsWith(() => F.adaptiveMaxPool2d(zeros([1, 1, 0, 4]), 2), ShapeError, ["adaptiveMaxPool2d with input [1, 1, 0, 4]", "rule: non-empty input"]);
    throwsWith(() => F.adaptiveAvgPool2d(zeros([1, 1, 4, 4]), [1, 2, 3]), ValueError, ["a list of 2"]);
  });

  test("wrong rank, integer input, divisor 0, norm type <= 0", () => {
    throwsWith(() => new nn.MaxPool1d(2).forward(zeros([1, 1, 4, 4])), ShapeError, ["MaxPool1d", "[1, 1, 4, 4]", "expects input [N, C, L] or [C, L]"]);
    throwsWith(() => new nn.AvgPool3d(2).forward(zeros([4, 4])), ShapeError, ["AvgPool3d", "[N, C, D, H, W] or [C, D, H, W]"]);
    throwsWith(() => new nn.AdaptiveMaxPool2d(2).forward(zeros([4])), ShapeError, ["AdaptiveMaxPool2d", "[N, C, H, W]"]);
    throwsWith(() => new nn.MaxPool3d(2).forward(zeros([1, 1, 2, 2, 2], { dtype: "int32" })), ValueError, ["MaxPool3d", "int32"]);
    throwsWith(() => new nn.AvgPool2d(2, { divisorOverride: 0 }), ValueError, ["AvgPool2d", "divisorOverride must be a non-zero integer"]);
    throwsWith(() => F.avgPool3d(zeros([1, 1, 2, 2, 2]), 2, { divisorOverride: 1.5 }), ValueError, ["avgPool3d with input [1, 1, 2, 2, 2]", "divisorOverride"]);
    throwsWith(() => new nn.LPPool1d(0, 2), ValueError, ["LPPool1d", "normType must be a finite number > 0"]);
    throwsWith(() => F.lpPool2d(zeros([1, 1, 4, 4]), -1, 2), ValueError, ["lpPool2d with input [1, 1, 4, 4]", "rule: p-norm pooling needs p > 0"]);
  });

  test("MaxUnpool2d: indices out of range, of the wrong shape or dtype, and impossible output sizes", () => {
    const x = f64([[[[1, 2], [3, 4]]]]);
    throwsWith(() => new nn.MaxUnpool2d(2).forward(x, i32([0, 1, 2, 16], [1, 1, 2, 2])), ValueError, ["MaxUnpool2d", "[1, 1, 2, 2]", "index 16", "4x4", "rule: 0 <= index < outH*outW"]);
    throwsWith(() => F.maxUnpool2d(x, i32([0, -1, 2, 3], [1, 1, 2, 2]), 2), ValueError, ["found index -1"]);
    throwsWith(() => F.maxUnpool2d(x, i32([[[0, 1, 2, 3]]]), 2), ShapeError, ["indices have shape [1, 1, 4]", "rule: indices must have the input's shape"]);
    throwsWith(() => F.maxUnpool2d(x, f64([[[[0, 1], [2, 3]]]]), 2), DTypeError, ["indices must be int32"]);
    throwsWith(() => F.maxUnpool2d(x, i32([0, 1, 2, 3], [1, 1, 2, 2]), 2, { outputSize: [6, 4] }), ValueError, ["outputSize [6,4] is invalid", "dim 0 must be between 2 and 6"]);
    throwsWith(() => F.maxUnpool2d(x, i32([0, 1, 2, 3], [1, 1, 2, 2]), 2, { outputSize: [4] }), ValueError, ["outputSize must hold 2 or 4 integers"]);
    throwsWith(() => new nn.MaxUnpool2d(2, { stride: 0 }), ValueError, ["MaxUnpool2d", "stride must be >= 1"]);
    throwsWith(() => F.maxUnpool2d(f64([[[[1]]]]), i32([0], [1, 1, 1, 1]), 1, { padding: 1 }), ShapeError, ["the unpooled size would be [-1, -1]"]);
  });
});
