/**
 * unfold (im2col) and fold (col2im): the lectures' im2col by hand, convolution as a matrix
 * product of unfolded patches, fold as the adjoint of unfold, gradchecks, the Unfold / Fold
 * layers and the errors. (Parity with PyTorch is in test/ops/parity-act.test.ts.)
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, randn, manualSeed, gradcheck, ones, arange, ShapeError, ValueError, type Tensor } from "../../src/index.js";
import { rand64 } from "../helpers/tensors.js";

const F = nn.functional;

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])), `${label}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function throwsWith(fn: () => unknown, cls: new (...a: never[]) => Error, fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
    return true;
  });
}

const dot = (a: Tensor, b: Tensor): number => a.mul(b).sum().item();

describe("unfold", () => {
  test("a 3x3 image, 2x2 blocks: one column per block, rows by (channel, kernel row, kernel col)", () => {
    const x = arange(1, 10, 1, { dtype: "float32" }).reshape([1, 1, 3, 3]); // 1..9
    const cols = F.unfold(x, 2);
    assert.deepEqual([...cols.shape], [1, 4, 4]);
    // columns: blocks at (0,0), (0,1), (1,0), (1,1); rows: offsets (0,0), (0,1), (1,0), (1,1)
    assert.deepEqual(cols.reshape([4, 4]).toArray(), [
      [1, 2, 4, 5],
      [2, 3, 5, 6],
      [4, 5, 7, 8],
      [5, 6, 8, 9],
    ]);
    // padding 1, stride 2: 2x2 blocks, the first sees only x[0][0] in its bottom-right corner
    const padded = F.unfold(x, 2, { padding: 1, stride: 2 });
    assert.deepEqual([...padded.shape], [1, 4, 4]);
    assert.deepEqual([...padded.reshape([4, 4]).data()].slice(12), [1, 3, 7, 9]);
    // unbatched input
    assert.deepEqual([...F.unfold(x.reshape([1, 3, 3]), 2).shape], [4, 4]);
  });

  test("convolution is a matrix product with unfolded patches", () => {
    manualSeed(1);
    const x = randn([2, 3, 7, 6]);
    const w = randn([4, 3, 3, 2]);
    const opts = { stride: 2, padding: 1, dilation: [1, 2] as [number, number] };
    const y = F.conv2d(x, w, null, opts);
    const cols = F.unfold(x, [3, 2], opts); // [2, 18, L]
    const viaGemm = w.reshape([4, 18]).matmul(cols).reshape([...y.shape]);
    close(viaGemm.data(), y.data(), 1e-5, "conv via unfold");
  });
});

describe("fold", () => {
  test("fold(unfold(x)) multiplies each pixel by the number of blocks covering it", () => {
    const x = arange(1, 10, 1, { dtype: "float32" }).reshape([1, 1, 3, 3]);
    const back = F.fold(F.unfold(x, 2), [3, 3], 2);
    const coverage = F.fold(F.unfold(ones([1, 1, 3, 3]), 2), [3, 3], 2);
    assert.deepEqual([...coverage.data()], [1, 2, 1, 2, 4, 2, 1, 2, 1]);
    assert.deepEqual([...back.data()], [...x.mul(coverage).data()]);
    // non-overlapping blocks (stride = kernel) make fold the exact inverse: patches and back
    const img = randn([2, 3, 8, 8]);
    assert.deepEqual([...F.fold(F.unfold(img, 4, { stride: 4 }), 8, 4, { stride: 4 }).data()], [...img.data()]);
    // unbatched input
    assert.deepEqual([...F.fold(F.unfold(x, 2).reshape([4, 4]), 3, 2).shape], [1, 3, 3]);
  });

  test("fold is the adjoint of unfold: <unfold(x), y> = <x, fold(y)>", () => {
    manualSeed(2);
    const geometries = [
      { k: 3, o: {} },
      { k: 2, o: { stride: 2, padding: 1 } },
      { k: [2, 3] as [number, number], o: { dilation: 2, stride: [1, 2] as [number, number] } },
      { k: 3, o: { padding: [2, 0] as [number, number], stride: 3, dilation: [1, 2] as [number, number] } },
    ];
    for (const { k, o } of geometries) {
      const x = rand64([2, 2, 7, 8], { requiresGrad: false });
      const ux = F.unfold(x, k, o);
      const y = rand64([...ux.shape], { requiresGrad: false });
      const lhs = dot(ux, y);
      const rhs = dot(x, F.fold(y, [7, 8], k, o));
      assert.ok(Math.abs(lhs - rhs) <= 1e-12 * Math.max(1, Math.abs(lhs)), `${JSON.stringify({ k, o })}: ${lhs} vs ${rhs}`);
    }
  });

  test("gradcheck of both, float64", () => {
    manualSeed(3);
    const x = rand64([1, 2, 4, 5]);
    assert.ok(gradcheck((t) => F.unfold(t, [2, 3], { padding: 1, stride: [2, 1] }), [x]));
    const cols = rand64([1, 2 * 4, 6]); // C = 2, 2x2 blocks on a 3x4 image: 2·3 positions
    assert.ok(gradcheck((t) => F.fold(t, [3, 4], 2, { stride: 1 }), [cols]));
  });
});

describe("Unfold and Fold layers", () => {
  test("equal the functional forms and describe themselves", () => {
    const x = randn([1, 2, 5, 5]);
    const unfold = new nn.Unfold(3, { padding: 1, stride: 2 });
    const cols = unfold.forward(x);
    assert.deepEqual([...cols.data()], [...F.unfold(x, 3, { padding: 1, stride: 2 }).data()]);
    const fold = new nn.Fold([5, 5], 3, { padding: 1, stride: 2 });
    assert.deepEqual([...fold.forward(cols).data()], [...F.fold(cols, [5, 5], 3, { padding: 1, stride: 2 }).data()]);
    assert.equal(unfold.extraRepr(), "kernelSize=3, padding=1, stride=2");
    assert.equal(fold.extraRepr(), "outputSize=[5,5], kernelSize=3, padding=1, stride=2");
  });

  test("errors name the layer, the shapes and the rule", () => {
    const model = new nn.Sequential(new nn.Fold([4, 4], 2));
    model.namedModules();
    throwsWith(() => model.forward(randn([1, 8, 8])), ShapeError, ["0 (Fold)", "8 blocks", "[4, 4]", "3·3 = 9"]);
    throwsWith(() => F.fold(randn([1, 7, 9]), [4, 4], 2), ShapeError, ["7", "not divisible", "2·2 = 4"]);
    throwsWith(() => F.unfold(randn([1, 1, 2, 2]), 3), ShapeError, ["unfold", "[1,1,2,2]", "spans 3"]);
    throwsWith(() => F.unfold(randn([4, 4]), 2), ShapeError, ["[N, C, H, W]", "[4,4]"]);
    throwsWith(() => new nn.Unfold(2, { stride: 0 }), ValueError, ["Unfold", "stride", ">= 1"]);
    throwsWith(() => new nn.Fold(4, 2, { padding: -1 }), ValueError, ["Fold", "padding", ">= 0"]);
  });
});
