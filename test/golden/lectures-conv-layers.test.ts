/**
 * Golden tests: the lectures' convolution examples (/work/shared/lectures) through the layers and
 * padding forms added with them — Conv1d and F.conv1d for the 1-D running example, "full",
 * the lectures' total padding { total: p } (⌊p/2⌋ before, ⌈p/2⌉ after), TensorFlow's "same" at
 * stride 2, per-side padding, Conv3d, depthwise-separable and transposed convolution. Each test
 * names its lecture file and the lines it checks; values the lecture does not print but that
 * follow from its rules are marked "derived". (lectures-conv.test.ts and lectures-sizes.test.ts
 * hold the same examples through conv2d alone.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { nn, tensor, zeros, type Tensor } from "../../src/index.js";

const F = nn.functional;
const L004 = "004_daac7e56bf7f5832.txt";
const L002 = "002_9e339da80a6bf936.txt";
const L001 = "001_a2f14e15156e1fc5.txt";

const X1 = [1, 0, 2, 2, 3, 1];
const W1 = [3, 2, 2];

/** The lectures' 1-D example through nn.Conv1d, weights loaded, no bias. */
function conv1d(options: nn.Conv1dOptions, x = X1, w = W1): number[] {
  const layer = new nn.Conv1d(1, 1, w.length, { ...options, bias: false });
  layer.weight.copy_(tensor([[w]]));
  return Array.from(layer.forward(tensor([[x]])).data());
}

const shape = (t: Tensor) => [...t.shape];

test(`${L004}: valid, same and full 1-D convolution of x=[1,0,2,2,3,1] with w=[3,2,2] through Conv1d`, () => {
  // line 167-174: "Valid/No padding ($p = 0$)" ... 7, 8, 16, 14
  assert.deepEqual(conv1d({ padding: "valid" }), [7, 8, 16, 14]);
  assert.deepEqual(conv1d({}), [7, 8, 16, 14]);
  // line 195-206: "Same padding" "$p = k - 1 = 2$" "Left padding = ⌊p/2⌋" "Right padding = ⌈p/2⌉" → 2, 7, 8, 16, 14, 11
  assert.deepEqual(conv1d({ padding: "same" }), [2, 7, 8, 16, 14, 11]);
  assert.deepEqual(conv1d({ padding: { total: 2 } }), [2, 7, 8, 16, 14, 11]);
  // line 576: "$k=3, p=4, s=1$ (Full)": total 4 = k-1 per side; values derived (see lectures-conv.test.ts)
  assert.deepEqual(conv1d({ padding: "full" }), [2, 2, 7, 8, 16, 14, 11, 3]);
  assert.deepEqual(conv1d({ padding: { total: 4 } }), [2, 2, 7, 8, 16, 14, 11, 3]);
});

test(`${L004}: manual padding p=1 is the lectures' total padding: ⌊1/2⌋ = 0 left, ⌈1/2⌉ = 1 right → [7,8,16,14,11]`, () => {
  // line 126-135: "Manual padding (p)" "Output feature values for $p = 1$" 7, 8, 16, 14, 11 with rows
  //   "x 1 0 2 2 3 1 0" (the zero on the right); line 161: "# outputs $o = l + p - k + 1$" = 5.
  assert.deepEqual(conv1d({ padding: { total: 1 } }), [7, 8, 16, 14, 11]);
  assert.deepEqual(conv1d({ padding: [0, 1] }), [7, 8, 16, 14, 11]); // Conv1d's [left, right]
});

test(`${L004}: stride 2, exact (p=1) and not exact (p=2, both zeros on the right) matching → [7,16,11]`, () => {
  // line 263-278: "Exact matching" "With padding p ($=1$)" "$(6+1-3)/2+1=3$", x row "1 0 2 2 3 1 0".
  assert.deepEqual(conv1d({ stride: 2, padding: { total: 1 } }), [7, 16, 11]);
  // line 282-305: "Not exact matching" "With padding p (=2)" "$(6+2-3)/2+1=3$" with x row "1 0 2 2 3 1 0 0":
  // this slide puts both zeros on the right, which per-side padding states directly.
  assert.deepEqual(conv1d({ stride: 2, padding: [[0, 2]] }), [7, 16, 11]);
  // Derived: split by the same-padding rule (1 left, 1 right) the windows are [0,1,0], [0,2,2], [2,3,1].
  assert.deepEqual(conv1d({ stride: 2, padding: { total: 2 } }), [2, 8, 14]);
});

test(`${L004}: TensorFlow "same" with stride: o = ⌈l/s⌉, p = max(s(o-1) + k - l, 0); qn1-qn4 for l=224, k=5, s=2`, () => {
  // line 317-333: "Stride (for Tensorflow)" "$$o = \left\lceil \frac{l}{s} \right\rceil$$" "$$p = \max(s(o - 1) + k - l, 0)$$";
  // line 337-347: "$l = 224, k = 5, s = 2$" "Qn1 Valid, p=?" "Qn2 Valid, o=?" "Qn3 Same, p=?" "Qn4 Same, o=?".
  // Derived answers: valid p = 0, o = 110; same o = 112, p = 2·111 + 5 - 224 = 3 (1 left, 2 right).
  const x = zeros([1, 1, 224]);
  const w = zeros([1, 1, 5]);
  assert.deepEqual(shape(F.conv1d(x, w, null, { stride: 2, padding: "valid" })), [1, 1, 110]);
  assert.deepEqual(shape(F.conv1d(x, w, null, { stride: 2, padding: "same" })), [1, 1, 112]);
  // The split ⌊3/2⌋ = 1 before, 2 after, seen on the running example's values (derived): l = 6, k = 3,
  // s = 2 → o = 3, p = max(2·2 + 3 - 6, 0) = 1 → 0 left, 1 right: the "Exact matching" windows.
  assert.deepEqual(conv1d({ stride: 2, padding: "same" }), [7, 16, 11]);
  // l = 224 on an impulse at 0: with 1 zero in front, output 0's window covers x[-1..3], so it sees
  // the impulse at kernel tap 1; with the 2-before split it would be tap 2.
  const impulse = tensor([[[1, ...new Array<number>(223).fill(0)]]]);
  const taps = F.conv1d(impulse, tensor([[[10, 20, 30, 40, 50]]]), null, { stride: 2, padding: "same" });
  assert.equal(taps.data()[0], 20);
});

test(`${L004}: 2-D example 4x4 ⋆ [[-1,1],[-1,1]] → [[2,0,2],[2,-1,2],[3,-1,0]] through Conv2d; "full" frames it`, () => {
  // line 418-552: input rows "1 2 3 2 / 2 3 2 5 / 1 2 2 1 / 0 2 1 2", kernel "-1 1 / -1 1", output "2 0 2 / 2 -1 2 / 3 -1 0".
  const x = tensor([[[[1, 2, 3, 2], [2, 3, 2, 5], [1, 2, 2, 1], [0, 2, 1, 2]]]]);
  const conv = new nn.Conv2d(1, 1, 2, { bias: false });
  conv.weight.copy_(tensor([[[[-1, 1], [-1, 1]]]]));
  assert.deepEqual((conv.forward(x).toArray() as number[][][][])[0][0], [[2, 0, 2], [2, -1, 2], [3, -1, 0]]);
  // "full" (line 576's p = 2(k-1) total): 5x5, the valid block in the middle, a corner sees one pixel (derived).
  const full = new nn.Conv2d(1, 1, 2, { bias: false, padding: "full" });
  full.weight.copy_(conv.weight);
  const y = (full.forward(x).toArray() as number[][][][])[0][0];
  assert.equal(y.length, 5);
  assert.deepEqual(y.slice(1, 4).map((r) => r.slice(1, 4)), [[2, 0, 2], [2, -1, 2], [3, -1, 0]]);
  assert.equal(y[0][0], 1 * 1); // window [[0,0],[0,1]] ⋆ [[-1,1],[-1,1]]
  assert.equal(y[4][4], -1 * 2); // window [[2,0],[0,0]]
});

test(`${L004}: qn5/qn6 224x224, padding (1,1) as the lectures' total, stride 2 → 111x111 (5x5) and 111x113 (5x1)`, () => {
  // line 622-624: "qn5: Input 224x224, kernel 5x5, padding (1,1), stride (2,2), output 111x111"
  //   "qn6: Input 224x224, kernel 5x1, padding (1,1), stride (2,2), output 111x113"; line 599: o = ⌊(l + p - k)/s⌋ + 1.
  const x = zeros([1, 1, 224, 224]);
  assert.deepEqual(shape(new nn.Conv2d(1, 1, 5, { stride: 2, padding: { total: [1, 1] } }).forward(x)), [1, 1, 111, 111]);
  assert.deepEqual(shape(new nn.Conv2d(1, 1, [5, 1], { stride: 2, padding: { total: [1, 1] } }).forward(x)), [1, 1, 111, 113]);
  assert.deepEqual(shape(new nn.Conv2d(1, 1, [5, 1], { stride: 2, padding: [[0, 1], [0, 1]] }).forward(x)), [1, 1, 111, 113]);
});

test(`${L002}/${L001}: AlexNet conv1 227x227x3, 96 filters 11x11 stride 4 → 55x55x96; 7x7 k3 stride 3 "cannot cover perfectly" → 2`, () => {
  // 001 line 472-473: "$S = 4, W1 = 227, F = 11, P = 0, D2 = 96$" "$W2 = (227 - 11) / 4 + 1 = 55$";
  // 002 line 1723: "(227-11)/4+1 = 55"; 002 line 980-1000: "Cannot cover perfectly" "Stride 3" "(7-3)/3+1=>2.33".
  const conv1 = new nn.Conv2d(3, 96, 11, { stride: 4 });
  assert.equal(conv1.numParameters(), 34944); // (11·11·3 + 1)·96, the lectures' "35 K"
  assert.deepEqual(shape(conv1.forward(zeros([1, 3, 227, 227]))), [1, 96, 55, 55]);
  assert.deepEqual(shape(new nn.Conv2d(1, 1, 3, { stride: 3 }).forward(zeros([1, 1, 7, 7]))), [1, 1, 2, 2]);
  assert.deepEqual(shape(new nn.Conv1d(1, 1, 3, { stride: 3 }).forward(zeros([1, 1, 7]))), [1, 1, 2]);
  // TensorFlow's "same" keeps the uncovered pixel: ⌈7/3⌉ = 3 windows, p = max(3·2 + 3 - 7, 0) = 2.
  assert.deepEqual(shape(new nn.Conv2d(1, 1, 3, { stride: 3, padding: "same" }).forward(zeros([1, 1, 7, 7]))), [1, 1, 3, 3]);
});

test(`${L004}: depth-wise separable convolution: c·kh·kw depthwise + 1x1 pointwise weights, output c×oh×ow then f×oh×ow`, () => {
  // line 707-720: "Depth-wise Separable Convolution" "Depth-wise convolution" "# input channels = # output channels"
  //   "Parameter size: $c \times k_h \times k_w$" "Output shape: $c \times o_h \times o_w$" "Point-wise convolution"
  //   "Normal convolution with 1×1 kernel"; line 700: a normal convolution has f × (c × kh × kw) parameters.
  const [c, f, k] = [3, 5, 3];
  const sep = new nn.SeparableConv2d(c, f, k, { bias: false });
  assert.equal(sep.depthwise.numParameters(), c * k * k);
  assert.equal(sep.pointwise.numParameters(), c * f);
  const x = zeros([1, c, 6, 6]);
  assert.deepEqual(shape(sep.depthwise.forward(x)), [1, c, 4, 4]);
  assert.deepEqual(shape(sep.forward(x)), [1, f, 4, 4]);
  assert.equal(new nn.Conv2d(c, f, k, { bias: false }).numParameters(), f * c * k * k);
});

test(`${L004}: transposed convolution is Y = Wᵀ X, with W the convolution as a matrix`, () => {
  // line 734-742: "Transposed Convolution" "Normal convolution, $Y = W * X$" "Transposed convolution $Y = W^T * X$";
  // line 360-380: "Row to column" ... "dot() **Convolution -> affine transformation**".
  // The valid 1-D convolution of the running example as a 4x6 matrix: row t holds w at columns t..t+2.
  const M = Array.from({ length: 4 }, (_, t) => Array.from({ length: 6 }, (_, j) => (j >= t && j < t + 3 ? W1[j - t] : 0)));
  const y = M.map((row) => row.reduce((s, m, j) => s + m * X1[j], 0));
  assert.deepEqual(y, [7, 8, 16, 14]); // Y = W X is the convolution
  const z = [1, -1, 2, 0.5];
  const wtz = X1.map((_, j) => M.reduce((s, row, t) => s + row[j] * z[t], 0)); // Wᵀ z
  const layer = new nn.ConvTranspose1d(1, 1, 3, { bias: false });
  layer.weight.copy_(tensor([[W1]]));
  assert.deepEqual(Array.from(layer.forward(tensor([[z]])).data()), wtz);
});

test(`${L004}: 3-D convolution slides over depth too; a depth-2 kernel over two copies sums the 2-D maps (derived)`, () => {
  // line 766-773: "3D convolution" "Input shape (c, h, w, **d**)" "Convolution/slide over h, w, and d."
  const plane = [[1, 2, 3, 2], [2, 3, 2, 5], [1, 2, 2, 1], [0, 2, 1, 2]];
  const k = [[-1, 1], [-1, 1]];
  const conv = new nn.Conv3d(1, 1, 2, { bias: false });
  conv.weight.copy_(tensor([[[k, k]]]));
  const y = conv.forward(tensor([[[plane, plane, plane]]])); // depth 3 → 2 outputs
  assert.deepEqual(shape(y), [1, 1, 2, 3, 3]);
  const twice = [[4, 0, 4], [4, -2, 4], [6, -2, 0]];
  assert.deepEqual((y.toArray() as number[][][][][])[0][0], [twice, twice]);
});
