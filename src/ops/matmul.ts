/**
 * Matrix products. One differentiable core, `gemm`, computes op(A)·op(B) for 2-D or batched 3-D
 * operands, where op() optionally transposes *by reading*, never by copying. Its backward is
 * two more gemms with the transposes swapped:
 *
 *   dA = transA ? op(B)·Gᵀ : G·op(B)ᵀ        dB = transB ? Gᵀ·op(A) : op(A)ᵀ·G
 *
 * `matmul` (PyTorch semantics, 1-D and broadcast batches) and `linear` are built on it.
 */
import { constant, fromOp } from "../autograd/record.js";
import { ShapeError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { backendOf, broadcastShapes, promote, requireFloat, sameShape } from "./util.js";

/** op(a)·op(b). a, b are [r, c] or [batch, r, c]; a 2-D operand is shared by every batch entry. */
export function gemm(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  const [x, y] = promote(a, b);
  requireFloat(x, "matmul");
  const { storage, shape } = gemmKernel(x, y, transA, transB, false, "matmul");
  return fromOp(storage, shape, "matmul", [x, y], (g) => {
    // An operand that was shared across the batch gets the batch's gradients summed.
    const sumA = x.ndim === 2 && g.ndim === 3;
    const sumB = y.ndim === 2 && g.ndim === 3;
    const ga = x.requiresGrad
      ? transA
        ? gemmRaw(y, g, transB, true, sumA)
        : gemmRaw(g, y, false, !transB, sumA)
      : null;
    const gb = y.requiresGrad
      ? transB
        ? gemmRaw(g, x, true, transA, sumB)
        : gemmRaw(x, g, !transA, false, sumB)
      : null;
    return [ga, gb];
  });
}

/** A gemm whose result carries no graph (used inside backward, which never records). */
function gemmRaw(a: Tensor, b: Tensor, transA: boolean, transB: boolean, sumBatch: boolean): Tensor {
  const { storage, shape } = gemmKernel(a, b, transA, transB, sumBatch, "matmul backward");
  return constant(storage, shape);
}

function gemmKernel(a: Tensor, b: Tensor, transA: boolean, transB: boolean, sumBatch: boolean, op: string) {
  if (a.ndim < 2 || a.ndim > 3 || b.ndim < 2 || b.ndim > 3) {
    throw new ShapeError(`${op}: gemm takes 2-D or 3-D operands, got [${a.shape}] and [${b.shape}]`);
  }
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const kb = transB ? bc : br;
  const n = transB ? br : bc;
  if (k !== kb) {
    throw new ShapeError(`${op}: inner sizes differ: [${a.shape}]${transA ? "ᵀ" : ""} · [${b.shape}]${transB ? "ᵀ" : ""} (${k} vs ${kb})`);
  }
  const aBatch = a.ndim === 3 ? a.shape[0] : 1;
  const bBatch = b.ndim === 3 ? b.shape[0] : 1;
  if (a.ndim === 3 && b.ndim === 3 && aBatch !== bBatch) {
    throw new ShapeError(`${op}: batch sizes differ: [${a.shape}] and [${b.shape}]`);
  }
  const batch = Math.max(aBatch, bBatch);
  const batched = a.ndim === 3 || b.ndim === 3;
  const storage = backendOf(a).matmul(a.storage, b.storage, {
    batch,
    m,
    n,
    k,
    aBatchStride: a.ndim === 3 ? ar * ac : 0,
    bBatchStride: b.ndim === 3 ? br * bc : 0,
    transA,
    transB,
    sumBatch,
  });
  const shape = batched && !sumBatch ? [batch, m, n] : [m, n];
  return { storage, shape };
}

/**
 * Matrix product with PyTorch's rules: 1-D operands are promoted to a row (left) or column
 * (right) and the added dim removed afterwards; leading (batch) dims broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) throw new ShapeError(`matmul: both operands need at least 1 dim, got [${a.shape}] and [${b.shape}]`);
  const a2 = a.ndim === 1 ? a.reshape([1, a.shape[0]]) : a;
  const b2 = b.ndim === 1 ? b.reshape([b.shape[0], 1]) : b;
  const [m, k] = a2.shape.slice(-2);
  const [kb, n] = b2.shape.slice(-2);
  if (k !== kb) throw new ShapeError(`matmul: shapes [${a.shape}] and [${b.shape}] cannot be multiplied (${k} vs ${kb})`);
  const aBatch = a2.shape.slice(0, -2);
  const bBatch = b2.shape.slice(0, -2);
  const outBatch = broadcastShapes(aBatch, bBatch, "matmul");

  let out: Tensor;
  if (bBatch.length === 0) {
    // [..., m, k] · [k, n]: fold every batch dim into the rows, one plain gemm.
    // Explicit row count, not -1: a reshape cannot infer -1 next to k = 0.
    out = gemm(a2.reshape([aBatch.reduce((p, d) => p * d, m), k]), b2).reshape([...aBatch, m, n]);
  } else {
    const flatBatch = outBatch.reduce((p, d) => p * d, 1);
    const asBatched = (t: Tensor, own: number[], rows: number, cols: number): Tensor => {
      if (own.reduce((p, d) => p * d, 1) === 1) return t.reshape([rows, cols]);
      const full = sameShape([...Array(outBatch.length - own.length).fill(1), ...own], outBatch) ? t : t.expand([...outBatch, rows, cols]);
      return full.reshape([flatBatch, rows, cols]);
    };
    const r = gemm(asBatched(a2, aBatch, m, k), asBatched(b2, bBatch, kb, n));
    out = r.reshape([...outBatch, m, n]);
  }
  if (a.ndim === 1) out = out.squeeze(-2);
  if (b.ndim === 1) out = out.squeeze(-1);
  return out;
}

/**
 * y = x·Wᵀ + b with PyTorch's layout: W is [out, in], x is [..., in]. Wᵀ is read in place by the
 * kernel, never materialised.
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const inFeatures = weight.shape[1];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inFeatures) {
    throw new ShapeError(`linear: input has ${x.shape[x.ndim - 1]} features but the weight [${weight.shape}] expects ${inFeatures} (input shape [${x.shape}])`);
  }
  const lead = x.shape.slice(0, -1);
  let y = gemm(x.reshape([lead.reduce((p, d) => p * d, 1), inFeatures]), weight, false, true);
  if (bias) y = y.add(bias);
  return y.reshape([...lead, weight.shape[0]]);
}
