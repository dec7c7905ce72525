/**
 * Convolution as the lectures teach it, composed from any backend's primitives: unfold the whole
 * batch into columns (im2col), then one matrix product per group with the weights.
 *   y = W · cols      dW = dY · colsᵀ      dCols = Wᵀ · dY      dX = col2im(dCols)
 * The cpu reference backend uses it as is, and the wasm backend for the dtypes its fused
 * kernels (asm/conv.ts) do not cover. Columns are [C·kH·kW, N·L] (L = outH·outW), so products
 * come out [O, N·L] and are transposed to [N, O, L].
 */
import type { Backend, Conv2dSpec, Storage } from "./types.js";

function sizes(spec: Conv2dSpec) {
  const L = spec.outH * spec.outW;
  const Og = spec.outChannels / spec.groups;
  const K = (spec.channels / spec.groups) * spec.kernelH * spec.kernelW;
  return { N: spec.batch, O: spec.outChannels, G: spec.groups, L, NL: spec.batch * L, Og, K };
}

/** gradOut [N, O, L] as [O, N·L], the layout of the products with the columns. */
function channelsFirst(backend: Backend, gradOut: Storage, spec: Conv2dSpec): Storage {
  const { N, O, L } = sizes(spec);
  return backend.copyStrided(gradOut, { shape: [O, N, L], strides: [L, O * L, 1], offset: 0 });
}

export function conv2dByIm2col(backend: Backend, x: Storage, weight: Storage, bias: Storage | null, spec: Conv2dSpec): Storage {
  const { N, O, G, L, NL, Og, K } = sizes(spec);
  const cols = backend.im2col(x, spec);
  const y = backend.matmul(weight, cols, { batch: G, m: Og, n: NL, k: K, aBatchStride: Og * K, bBatchStride: K * NL, transA: false, transB: false, sumBatch: false });
  const out = backend.copyStrided(y, { shape: [N, O, L], strides: [L, NL, 1], offset: 0 });
  if (!bias) return out;
  const shape = [N, O, L];
  return backend.binary("add", out, { shape, strides: [O * L, L, 1], offset: 0 }, bias, { shape, strides: [0, 1, 0], offset: 0 }, shape, x.dtype);
}

export function conv2dBackwardInputByIm2col(backend: Backend, gradOut: Storage, weight: Storage, spec: Conv2dSpec): Storage {
  const { G, NL, Og, K } = sizes(spec);
  const dCols = backend.matmul(weight, channelsFirst(backend, gradOut, spec), {
    batch: G, m: K, n: NL, k: Og, aBatchStride: Og * K, bBatchStride: Og * NL, transA: true, transB: false, sumBatch: false,
  });
  return backend.col2im(dCols, spec);
}

export function conv2dBackwardWeightByIm2col(backend: Backend, gradOut: Storage, x: Storage, spec: Conv2dSpec): Storage {
  const { G, NL, Og, K } = sizes(spec);
  return backend.matmul(channelsFirst(backend, gradOut, spec), backend.im2col(x, spec), {
    batch: G, m: Og, n: K, k: NL, aBatchStride: Og * NL, bBatchStride: K * NL, transA: false, transB: true, sumBatch: false,
  });
}
