/**
 * Golden tests: output sizes, receptive fields and parameter counts from the lecture notes in
 * /work/shared/lectures/. Sizes are checked both through convOutputSize / poolOutputSize and by
 * running conv2d / maxPool2d on real tensors. Every test names its lecture file and quotes the line
 * that locates the example; values the lecture does not print but that follow from its formulas are
 * marked "derived".
 *
 * Formula conventions: 004 writes o = ⌊(l + p - k)/s⌋ + 1 with p the TOTAL padding of a dimension
 * (line 257, 599); 000/001/002/003 write (N - F + 2P)/S + 1 with P the padding PER SIDE, which is
 * what conv2d's `padding` option means (PyTorch).
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { conv2d, convOutputSize, maxPool2d, ones, pad, poolOutputSize, softmax, tensor, zeros, type Tensor } from "../../src/index.js";

const L000 = "000_411715269987252d.txt";
const L001 = "001_a2f14e15156e1fc5.txt";
const L002 = "002_9e339da80a6bf936.txt";
const L004 = "004_daac7e56bf7f5832.txt";

/** Output size per 004's formula with symmetric padding `perSide`. */
const out = (l: number, k: number, s: number, perSide = 0, dilation = 1): number => convOutputSize(l, k, s, perSide, perSide, dilation, "golden");

/** n agrees with the lecture's rounded figure `value` × `unit` to within one unit (lectures mix rounding and truncation). */
function nearly(n: number, value: number, unit: number): void {
  assert.ok(Math.abs(n - value * unit) < unit, `${n} is not ${value} × ${unit} to within ${unit}`);
}

function shapeOf(t: Tensor): number[] {
  return [...t.shape];
}

// ------------------------------------------------------------------------------------------------
// 004
// ------------------------------------------------------------------------------------------------
test(`${L004}: qn5/qn6 224x224 with kernel 5x5 (→ 111x111) and 5x1 (→ 111x113), padding (1,1), stride (2,2)`, () => {
  // 004 line 622-624: "qn5: Input 224x224, kernel 5x5, padding (1,1), stride (2,2), output 111x111"
  //   "qn6: Input 224x224, kernel 5x1, padding (1,1), stride (2,2), output 111x113".
  // (Whether "(1,1)" means 1 per side (PyTorch) or a total of 1 as in 004's o = ⌊(l+p-k)/s⌋+1,
  //  both give ⌊221/2⌋+1 = ⌊220/2⌋+1 = 111 and ⌊225/2⌋+1 = ⌊224/2⌋+1 = 113.)
  assert.equal(out(224, 5, 2, 1), 111);
  assert.equal(out(224, 1, 2, 1), 113);
  const x = zeros([1, 1, 224, 224]);
  assert.deepEqual(shapeOf(conv2d(x, zeros([1, 1, 5, 5]), null, { padding: 1, stride: 2 })), [1, 1, 111, 111]);
  assert.deepEqual(shapeOf(conv2d(x, zeros([1, 1, 5, 1]), null, { padding: [1, 1], stride: [2, 2] })), [1, 1, 111, 113]);
});

test(`${L004}: qn1-qn4 l=224, k=5, s=2: TensorFlow valid and same (derived from the lecture's formulas)`, () => {
  // 004 line 337-347: "$l = 224, k = 5, s = 2$" "Qn1 Valid, p=?" "Qn2 Valid, o=?" "Qn3 Same, p=?" "Qn4 Same, o=?"
  //   (the answers are not in the text). Derived from line 257 "o = ⌊(l+p-k)/s⌋ + 1" and line 325-333
  //   "o = ⌈l/s⌉", "p = max(s(o - 1) + k - l, 0)", with line 198-199 "Left padding = ⌊p/2⌋", "Right padding = ⌈p/2⌉":
  //   valid: p = 0, o = ⌊219/2⌋ + 1 = 110; same: o = ⌈224/2⌉ = 112, p = max(2·111 + 5 - 224, 0) = 3 → 1 left, 2 right.
  assert.equal(convOutputSize(224, 5, 2, 0, 0, 1, "qn2"), 110);
  const o = Math.ceil(224 / 2);
  const p = Math.max(2 * (o - 1) + 5 - 224, 0);
  assert.deepEqual([o, p], [112, 3]);
  assert.equal(convOutputSize(224, 5, 2, Math.floor(p / 2), Math.ceil(p / 2), 1, "qn4"), 112);
  const padded = pad(zeros([1, 1, 224, 224]), [1, 2, 1, 2]); // [left, right, top, bottom]
  assert.deepEqual(shapeOf(conv2d(padded, zeros([1, 1, 5, 5]), null, { stride: 2 })), [1, 1, 112, 112]);
  assert.deepEqual(shapeOf(conv2d(zeros([1, 1, 224, 224]), zeros([1, 1, 5, 5]), null, { stride: 2, padding: "valid" })), [1, 1, 110, 110]);
});

test(`${L004}: "same" (p = k-1, split ⌊p/2⌋ / ⌈p/2⌉) keeps l; "full" (p = 2(k-1)) gives l+k-1`, () => {
  // 004 line 195-199: "Same padding" "$l + p - k + 1 = l$" "$p = k - 1$" "Left padding = ⌊p/2⌋" "Right padding = ⌈p/2⌉";
  // 004 line 572-576: "$k=3, p=2, s=1$ (Same)" "$k=3, p=4, s=1$ (Full)".
  for (let l = 4; l <= 9; l++) {
    for (let k = 1; k <= 4; k++) {
      const p = k - 1;
      assert.equal(convOutputSize(l, k, 1, Math.floor(p / 2), Math.ceil(p / 2), 1, "same"), l, `same l=${l} k=${k}`);
      assert.equal(convOutputSize(l, k, 1, k - 1, k - 1, 1, "full"), l + k - 1, `full l=${l} k=${k}`);
      const y = conv2d(zeros([1, 1, l, l + 1]), zeros([1, 1, k, k]), null, { padding: "same" });
      assert.deepEqual(shapeOf(y), [1, 1, l, l + 1], `conv2d same l=${l} k=${k}`);
    }
  }
});

test(`${L004}: dilated 3x3 convolutions with dilation 1, 2, 4 have receptive fields 3x3, 7x7, 15x15`, () => {
  // 004 line 753: "(a) F_1 is produced from F_0 by a 1-dilated convolution; each element in F_1 has a receptive
  //   field of 3×3 . (b) F_2 is produced from F_1 by a 2-dilated convolution; each element in F_2 has a receptive
  //   field of 7×7 . (c) F_3 is produced from F_2 by a 4-dilated convolution; each element in F_3 has a receptive
  //   field of 15×15 . The number of parameters associated with each layer is identical."
  // Measured as the support of the response to a single impulse (all-ones kernels, so nothing cancels).
  const n = 21;
  const impulse = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === 10 && j === 10 ? 1 : 0)));
  let f: Tensor = tensor([[impulse]]);
  const fields: number[] = [];
  for (const dilation of [1, 2, 4]) {
    const w = ones([1, 1, 3, 3]);
    assert.equal(w.numel, 9); // identical parameter count per layer
    f = conv2d(f, w, null, { dilation, padding: dilation });
    assert.deepEqual(shapeOf(f), [1, 1, n, n]);
    const map = (f.toArray() as number[][][][])[0][0];
    const rows = map.filter((r) => r.some((v) => v !== 0)).length;
    const cols = map[10].filter((v) => v !== 0).length;
    assert.equal(rows, cols);
    fields.push(rows);
  }
  assert.deepEqual(fields, [3, 7, 15]);
  // the window a dilated kernel spans: dilation·(k-1)+1 = 3, 5, 9 (no padding: 21 → 19, 17, 13)
  assert.deepEqual([1, 2, 4].map((d) => out(n, 3, 1, 0, d)), [19, 17, 13]);
});

// ------------------------------------------------------------------------------------------------
// 002
// ------------------------------------------------------------------------------------------------
test(`${L002}: 7x7 map, 3x3 filter: stride 1 → 5, stride 2 → 3, stride 3 → (7-3)/3+1 = 2.33 "cannot cover perfectly"`, () => {
  // 002 line 906-915: "7x7 map 3x3 filter" "Output activation map 5x5" "(7-3+1)=5";
  // 002 line 944-953: "Filter applied with stride 2" "Activation map size 3x3" "(7-3)/2+1=3";
  // 002 line 961-998: "Filter applied with stride 3" "Cannot cover perfectly" "Stride 3 (7-3)/3+1=>2.33".
  assert.equal(out(7, 3, 1), 5);
  assert.equal(out(7, 3, 2), 3);
  assert.ok(!Number.isInteger((7 - 3) / 3)); // the division is not exact ...
  assert.equal((7 - 3) / 3 + 1 > 2.33 && (7 - 3) / 3 + 1 < 2.34, true); // ... the lecture's 2.33
  assert.equal(out(7, 3, 3), 2); // ... and the floor of the formula keeps 2 windows
  const x = zeros([1, 1, 7, 7]);
  const w = ones([1, 1, 3, 3]);
  for (const [s, o] of [[1, 5], [2, 3], [3, 2]]) {
    assert.deepEqual(shapeOf(conv2d(x, w, null, { stride: s })), [1, 1, o, o], `stride ${s}`);
  }
  // Not covering perfectly: with stride 3 the windows cover rows/cols 0-2 and 3-5; row/col 6 is never read.
  const edge = tensor([[Array.from({ length: 7 }, (_, i) => Array.from({ length: 7 }, (_, j) => (i === 6 || j === 6 ? 1 : 0)))]]);
  assert.deepEqual((conv2d(edge, w, null, { stride: 3 }).toArray() as number[][][][])[0][0], [
    [0, 0],
    [0, 0],
  ]);
  // with stride 2 the last window (rows/cols 4-6) does read it
  assert.equal((conv2d(edge, w, null, { stride: 2 }).toArray() as number[][][][])[0][0][2][2], 5);
});

test(`${L002}: 7x7 input, 3x3 filter, padding 1 → 7x7; (F-1)/2 padding with stride 1 preserves the map size`, () => {
  // 002 line 1031-1043: "For 7x7 input and 3x3 filter" "If we have padding of one pixel" "Output Ix7" (7x7)
  //   "(N-F+2P)/S + 1"; line 1052-1062: "(F-1)/2 padding with stride 1 to preserve the map size" "P=(F-1)/2".
  assert.deepEqual(shapeOf(conv2d(zeros([1, 1, 7, 7]), zeros([1, 1, 3, 3]), null, { padding: 1 })), [1, 1, 7, 7]);
  for (const F of [1, 3, 5, 7]) {
    assert.equal(out(7, F, 1, (F - 1) / 2), 7, `F=${F}`);
  }
});

test(`${L002}: 32x32x3 image, 6 3x3x3 kernels → 30x30x6 with 6x3x3x3 = 162 parameters (+6 biases: K(3L²+1))`, () => {
  // 002 line 886-900: "Parameters" "Activation maps" "32x32x3 image" "32 30" "Convolution layer" "3 6"
  //   "6 3x3x3 kernels — 6x3x3x3 parameters = 162"; line 1118: "Total number of parameters: K, (3L* + 1)".
  const w = ones([6, 3, 3, 3]);
  const b = zeros([6]);
  assert.equal(w.numel, 162);
  assert.equal(w.numel + b.numel, 6 * (3 * 3 * 3 + 1));
  const y = conv2d(ones([1, 3, 32, 32]), w, b);
  assert.deepEqual(shapeOf(y), [1, 6, 30, 30]);
  assert.ok(Array.from(y.data()).every((v) => v === 27)); // each output sums 3·3·3 ones
});

test(`${L002}: LeNet digit classification 32x32 → 5x5 conv → 28x28 → 2x2 → 14 → 5x5 conv → 10 → 2x2 → 5x5`, () => {
  // 002 line 1520-1531: "Digit classification" "input 32x 32" "_28:&_28_" ... "5x35" "5x5 2x2 5x5"
  //   "convolution subsampling convoluton 2x2 subsampling". The 32, 28 and final 5x5 survive the OCR;
  //   14 and 10 are garbled ("_ixl-‘_", "lelO") and are derived here.
  let x: Tensor = zeros([1, 1, 32, 32]);
  const sizes: number[] = [];
  x = conv2d(x, zeros([6, 1, 5, 5]));
  sizes.push(x.shape[2]);
  x = maxPool2d(x, 2);
  sizes.push(x.shape[2]);
  x = conv2d(x, zeros([16, 6, 5, 5]));
  sizes.push(x.shape[2]);
  x = maxPool2d(x, 2);
  sizes.push(x.shape[2]);
  assert.deepEqual(sizes, [28, 14, 10, 5]);
  assert.deepEqual(shapeOf(x), [1, 16, 5, 5]);
});

test(`${L002}/${L001}: AlexNet 227x227x3 → 55 → 27 → 27 → 13 → 13 → 13 → 13 → 6`, () => {
  // 002 line 1833-1844: "[227x227x3] INPUT" "[55x55x96] CONV1: 96 11x11 filters at stride 4, pad O"
  //   "[27x27x96] MAX POOL1: 3x3 filters at stride 2" "[27%x27%x256] CONV2: 256 5x5 filters at stride 1, pad 2"
  //   "[13x13x256] MAX POOL2: 3x3 filters at stride 2" "[13x13x384] CONV3: 384 3x3 filters at stride 1, pad 1"
  //   "[13x13x384] CONV4 ..., pad 1" "[13x13x256] CONVS5 ..., pad 1" "[6x6x256] MAX POOL3: 3x3 filters at stride 2".
  // 002 line 1723: "(227-11)/4+1 = 55"; line 1752: "(55-3)/2+1 = 27"; 001 line 472-474:
  //   "$S = 4, W1 = 227, F = 11, P = 0, D2 = 96$" "$W2 = (227 - 11) / 4 + 1 = 55$" "Output Size: 55 × 55 × 96".
  assert.equal(out(227, 11, 4, 0), 55);
  assert.equal(poolOutputSize(55, 3, 2, 0, 1, false, "pool1"), 27);
  // Spatial chain on one channel (the sizes do not depend on the channel counts).
  const sizes: number[] = [];
  let x: Tensor = zeros([1, 1, 227, 227]);
  const k = (n: number): Tensor => zeros([1, 1, n, n]);
  x = conv2d(x, k(11), null, { stride: 4, padding: 0 });
  sizes.push(x.shape[2]);
  x = maxPool2d(x, 3, { stride: 2 });
  sizes.push(x.shape[2]);
  x = conv2d(x, k(5), null, { stride: 1, padding: 2 });
  sizes.push(x.shape[2]);
  x = maxPool2d(x, 3, { stride: 2 });
  sizes.push(x.shape[2]);
  for (let i = 0; i < 3; i++) {
    x = conv2d(x, k(3), null, { stride: 1, padding: 1 });
    sizes.push(x.shape[2]);
  }
  x = maxPool2d(x, 3, { stride: 2 });
  sizes.push(x.shape[2]);
  assert.deepEqual(sizes, [55, 27, 27, 13, 13, 13, 13, 6]);
  assert.deepEqual(shapeOf(x), [1, 1, 6, 6]);
  // 001 line 491 neurons: "27 × 27 × 256 = 186,624" "13 × 13 × 384 = 64,896" "13 × 13 × 256 = 43,264"
  assert.equal(sizes[2] * sizes[2] * 256, 186624);
  assert.equal(sizes[4] * sizes[4] * 384, 64896);
  assert.equal(sizes[6] * sizes[6] * 256, 43264);
  // 002 line 1749: "After CONV1: 55x55x96"
  assert.deepEqual(shapeOf(conv2d(zeros([1, 3, 227, 227]), zeros([96, 3, 11, 11]), null, { stride: 4 })), [1, 96, 55, 55]);
});

test(`${L001}/${L002}: AlexNet parameters 35K, 307K, 884K, 663K (1.3M ungrouped), 442K, 37M, 16M, 4M ≈ 60M`, () => {
  // 001 line 456-460: "Input images are $227 \times 227 \times 3$" "$F = 11$ and $K = 96$"
  //   "Each filter has $11 \times 11 \times 3 = 363$ and 1 (bias) i.e., 364 weights" "# weights = 364 × 96 = 35 K (approx.)"
  // 001 line 490: "[(11×11×3)+1]×96 = 35 K" "[5×5×48]×256 = 307 K" "[3×3×256]×384 = 884 K" "663 K" "442 K"
  //   "37 M" "16 M" "4 M" "60 M" (the 48-deep conv2 filters, 663K conv4 and 442K conv5 are the two-GPU
  //   grouped layers: groups=2). 002 line 1856-1874: "CONV1 35K" "CONV?2 307K" "CONV3 884K" "CONV4 1.3M"
  //   "CONV5 442K" "FC6 37M" "FC/ 16M" "FC8 4V" (002 counts conv4 ungrouped: 3×3×384×384).
  // Each weight shape is checked against conv2d (channels and groups must fit) on a small spatial input.
  const layer = (inC: number, w: number[], groups: number, padding: number): number => {
    const weight = zeros(w);
    const y = conv2d(zeros([1, inC, 3, 3]), weight, zeros([w[0]]), { groups, padding });
    assert.equal(y.shape[1], w[0]);
    return weight.numel;
  };
  const conv1 = zeros([96, 3, 11, 11]);
  assert.equal(11 * 11 * 3, 363);
  const conv1Params = conv1.numel + 96; // 001 counts the bias here only
  assert.equal(conv1Params, 364 * 96);
  nearly(conv1Params, 35, 1e3);
  nearly(conv1.numel, 35, 1e3); // 002 line 1725: "11x11x3x96 = 35K" (no bias)
  const conv2 = layer(96, [256, 48, 5, 5], 2, 2);
  nearly(conv2, 307, 1e3);
  const conv3 = layer(256, [384, 256, 3, 3], 1, 1);
  nearly(conv3, 884, 1e3);
  const conv4 = layer(384, [384, 192, 3, 3], 2, 1);
  nearly(conv4, 663, 1e3);
  nearly(layer(384, [384, 384, 3, 3], 1, 1), 1.3, 1e6);
  const conv5 = layer(384, [256, 192, 3, 3], 2, 1);
  nearly(conv5, 442, 1e3);
  // FC6 input is the flattened 6x6x256 POOL3 output of the previous test's chain.
  const pool3 = maxPool2d(zeros([1, 256, 13, 13]), 3, { stride: 2 });
  const flat = pool3.numel;
  assert.equal(flat, 6 * 6 * 256);
  const fc6 = flat * 4096;
  const fc7 = 4096 * 4096;
  const fc8 = 4096 * 1000;
  nearly(fc6, 37, 1e6);
  nearly(fc7, 16, 1e6);
  nearly(fc8, 4, 1e6);
  nearly(conv1Params + conv2 + conv3 + conv4 + conv5 + fc6 + fc7 + fc8, 60, 1e6);
  // 001 line 487: "About 57 M parameters are in the fully connected layers": that is the sum of the
  //   truncated figures 37 M + 16 M + 4 M; the exact FC weights are 58.6 M (within 3 % of 57 M).
  assert.equal(Math.floor(fc6 / 1e6) + Math.floor(fc7 / 1e6) + Math.floor(fc8 / 1e6), 57);
  assert.ok(Math.abs(fc6 + fc7 + fc8 - 57e6) / 57e6 < 0.03);
});

// ------------------------------------------------------------------------------------------------
// 000 and 001: the 200x200x3 image
// ------------------------------------------------------------------------------------------------
test(`${L000}: 200x200x3 image, 20 filters 5x5x3, stride 1, zero pad 4 → 20 × 204 × 204 = 832320 neurons, 1500 weights`, () => {
  // 000 line 137-173: "CNN: Hidden layer has 20 feature-maps each of size $5 \times 5 \times 3$ with stride = 1, and zero
  //   padding of 4 on each side, i.e., maximum overlapping of convolution windows." "Answer: Just 1500"
  //   "$$\underline{\underline{wts}} = 20 \times 5 \times 5 \times 3$$" "In current case, $D = P - 1 \Rightarrow$
  //   Output size = $\left(\frac{M+P}{s} - 1\right)$" "$$20 \times ((200 + 5)/s - 1) \times ((200 + 5)/s - 1)$$" "= 832320".
  // The 1500 counts ALL the weights of the layer (20 filters × 75), biases excluded, not weights per filter.
  const w = ones([20, 3, 5, 5]);
  assert.equal(w.numel, 1500);
  assert.equal(w.numel, 20 * 5 * 5 * 3);
  assert.equal(out(200, 5, 1, 4), (200 + 5) / 1 - 1);
  const y = conv2d(ones([1, 3, 200, 200]), w, null, { stride: 1, padding: 4 });
  assert.deepEqual(shapeOf(y), [1, 20, 204, 204]);
  assert.equal(y.numel, 832320);
  assert.ok(40000 < y.numel); // 000 line 151: "$$40000 < 832320$$"
  // "maximum overlapping": the corner window overlaps the image in one pixel (3 channels → 3), the middle in all 75
  const map = (y.toArray() as number[][][][])[0][7];
  assert.equal(map[0][0], 3);
  assert.equal(map[203][203], 3);
  assert.equal(map[0][4], 15); // rows: 1 overlap, cols: all 5
  assert.equal(map[100][100], 75);
});

test(`${L000}: D = (P-1)/2 and S = 1 gives an output of the same size as the input`, () => {
  // 000 line 256: "If $D = (P - 1)/2$ and $S = 1$, output will be of same size as input!"
  assert.equal(out(200, 5, 1, 2), 200);
  assert.deepEqual(shapeOf(conv2d(zeros([1, 3, 200, 200]), zeros([20, 3, 5, 5]), null, { padding: 2 })), [1, 20, 200, 200]);
  assert.deepEqual(shapeOf(conv2d(zeros([1, 3, 200, 200]), zeros([20, 3, 5, 5]), null, { padding: "same" })), [1, 20, 200, 200]);
});

test(`${L000}: hint M=200, D=0, S=2, P=5: (200-5)/2+1 is not an integer; the floor gives 98 (derived)`, () => {
  // 000 line 67-81: "$$\left(\frac{M + 2D - P}{S} + 1 \right) \times ...$$" "Hint: Try out" "$M = 200$" "$D = 0$"
  //   "$S = 2, P = 5$". The lecture gives no answer; its formula yields 98.5, and 004 line 257's floor gives 98.
  assert.ok(!Number.isInteger((200 + 0 - 5) / 2 + 1));
  assert.equal(out(200, 5, 2, 0), 98);
  assert.deepEqual(shapeOf(conv2d(zeros([1, 1, 200, 200]), zeros([1, 1, 5, 5]), null, { stride: 2 })), [1, 1, 98, 98]);
});

test(`${L001}: 200x200x3 conv layer with 3x3x3 filters: 120,000 hidden units, 27 × #feature maps parameters`, () => {
  // 001 line 261-290: "Image of size 200 X 200 and 3 colours (RGB)" "#Hidden Units: 120,000 (=200X200X3)"
  //   "Locally connected layer" "#Params: 3.2 Million (=120K X 27)" "Convolutional layer with multiple feature maps"
  //   "#Hidden Units: 120,000" "#Params: $27 \times \text{\#Feature Maps}$".
  // 120,000 = 200·200·3 hidden units means 3 feature maps of 200x200, i.e. size-preserving padding.
  const w = zeros([3, 3, 3, 3]);
  const y = conv2d(zeros([1, 3, 200, 200]), w, null, { padding: 1 });
  assert.equal(y.numel, 120000);
  assert.equal(w.numel, 27 * 3);
  nearly(y.numel * 27, 3.2, 1e6); // locally connected: a separate 27-weight filter per hidden unit
});

// ------------------------------------------------------------------------------------------------
// 002: softmax on the class scores (the classifier head that follows conv/pool)
// ------------------------------------------------------------------------------------------------
test(`${L002}: softmax of scores cat 3.2, car 5.1, frog -1.7 → exp 24.5, 164.0, 0.18 → 0.13, 0.87, 0.00`, () => {
  // 002 line 1463-1487: "Softmax activation" "scores = unnormalized log probabilities of the classes."
  //   "cat 3.2 24.5" "car 51 — |164.0" "frog -1.7 0.18" ... "cat 3.2 245 | 0413" "51 2 [164.0 = | 0.87"
  //   "wg |17 0.18 0.00" "probabilities" (OCR: "51" is 5.1, "0413" is 0.13).
  const scores = tensor([3.2, 5.1, -1.7]);
  const e = Array.from(scores.exp().data());
  assert.deepEqual([e[0].toFixed(1), e[1].toFixed(1), e[2].toFixed(2)], ["24.5", "164.0", "0.18"]);
  const p = Array.from(softmax(scores, 0).data());
  assert.deepEqual(p.map((v) => v.toFixed(2)), ["0.13", "0.87", "0.00"]);
  assert.ok(Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-6);
});
