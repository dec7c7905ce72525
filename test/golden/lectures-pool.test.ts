/**
 * Golden tests: the pooling worked examples of the lecture notes in /work/shared/lectures/.
 * Every test names its lecture file and quotes the line that locates the example.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { avgPool2d, conv2d, full, maxPool2d, nn, poolOutputSize, tensor, zeros, type Tensor } from "../../src/index.js";

const L000 = "000_411715269987252d.txt";
const L001 = "001_a2f14e15156e1fc5.txt";
const L002 = "002_9e339da80a6bf936.txt";
const L004 = "004_daac7e56bf7f5832.txt";

function plane(t: Tensor): number[][] {
  return (t.toArray() as number[][][][])[0][0];
}

// 001 line 385-388 (first table) and 399-402 (second table)
const T001A = [
  [2, 8, 9, 4],
  [3, 6, 5, 7],
  [3, 1, 6, 4],
  [2, 5, 7, 3],
];
const T001B = [
  [12, 20, 30, 0],
  [8, 12, 2, 0],
  [34, 70, 37, 4],
  [112, 100, 25, 12],
];
// 002 line 1231-1236 (the mean-pool slide; the max-pool slide's copy at 1215-1218 is OCR-damaged)
const T002 = [
  [1, 1, 2, 4],
  [5, 6, 7, 8],
  [3, 2, 1, 0],
  [1, 2, 3, 4],
];

test(`${L001}: max pooling 2x2 stride 2 of [[2,8,9,4],[3,6,5,7],[3,1,6,4],[2,5,7,3]] → [[8,9],[5,7]]`, () => {
  // 001 line 377-393: "Pooling Layer" "Pool Size: 2x2" "Stride: 2" "Type: Max", table "2 8 9 4 / 3 6 5 7 /
  //   3 1 6 4 / 2 5 7 3" → "8 9 / 5 7".
  const y = maxPool2d(tensor([[T001A]]), 2, { stride: 2 });
  assert.deepEqual([...y.shape], [1, 1, 2, 2]);
  assert.deepEqual(plane(y), [
    [8, 9],
    [5, 7],
  ]);
  // stride defaults to the kernel size (PyTorch)
  assert.deepEqual(plane(maxPool2d(tensor([[T001A]]), 2)), [
    [8, 9],
    [5, 7],
  ]);
});

test(`${L001}: max pooling 2x2 stride 2 of the second table → [[20,30],[112,37]]`, () => {
  // 001 line 397-405: "max pooling" table "12 20 30 0 / 8 12 2 0 / 34 70 37 4 / 112 100 25 12" → "20 30 / 112 37".
  assert.deepEqual(plane(maxPool2d(tensor([[T001B]]), 2, { stride: 2 })), [
    [20, 30],
    [112, 37],
  ]);
});

test(`${L001}: average pooling 2x2 stride 2 of the second table → [[13,8],[79,19.5]] (lecture prints 20, rounded)`, () => {
  // 001 line 407-410: "average pooling" "13 8 / 79 20".
  // The exact means are (12+20+8+12)/4 = 13, (30+0+2+0)/4 = 8, (34+70+112+100)/4 = 79 and
  //   (37+4+25+12)/4 = 78/4 = 19.5: the lecture's "20" is 19.5 rounded (the text prints integers only).
  const y = plane(avgPool2d(tensor([[T001B]]), 2, { stride: 2 }));
  assert.deepEqual(y, [
    [13, 8],
    [79, 78 / 4],
  ]);
  assert.deepEqual(y.map((r) => r.map(Math.round)), [
    [13, 8],
    [79, 20],
  ]);
});

test(`${L002}: mean pooling 2x2 stride 2 of [[1,1,2,4],[5,6,7,8],[3,2,1,0],[1,2,3,4]] → [[3.25,5.25],[2,2]]`, () => {
  // 002 line 1226-1236: "Alternative to Max pooling: Mean Pooling" "Mean pool with 2x2 filters and stride 2"
  //   "3.25|5.25" / "2 2" with the input rows "1 1 2 4", "5|16 | 7|8" (= 5 6 7 8), "3 2 1 0", "1 2 3 4".
  assert.deepEqual(plane(avgPool2d(tensor([[T002]]), 2, { stride: 2 })), [
    [3.25, 5.25],
    [2, 2],
  ]);
});

test(`${L004}: average pooling equals convolution with kernel values 1/kernel_size`, () => {
  // 004 line 793-797: "Average Pooling" "Equivalent to convolution with kernel values = $1/\text{kernel_size}$"
  //   (kernel_size = kh*kw = 4 here), checked on the 001 and 002 tables.
  const quarter = full([1, 1, 2, 2], 0.25);
  for (const t of [T001A, T001B, T002]) {
    const x = tensor([[t]]);
    assert.deepEqual(plane(avgPool2d(x, 2, { stride: 2 })), plane(conv2d(x, quarter, null, { stride: 2 })));
    assert.deepEqual(plane(avgPool2d(x, 2, { stride: 1 })), plane(conv2d(x, quarter, null, { stride: 1 })));
  }
});

test(`${L000}: 1-D max pooling M=5, P=3: stride 1 → 3 outputs, stride 2 → 2 outputs, no padding`, () => {
  // 000 line 307-322: "Max pooling (with downsampling) for a Single Feature Map" "1-d example" "$M=5$" "$P=3$"
  //   "$$\frac{M-P}{S} + 1 = \frac{5-3}{1} + 1 = 2 + 1 = 3$$" "$D=0$ always (padding disallowed)";
  // 000 line 333-345: "... stride changes to 2?" "$$\frac{M-P}{S} + 1 = \frac{2}{2} + 1 = 2$$" "[6,8]".
  // The input sequence was in a lost figure, so the answer [6,8] cannot be checked by value; only
  //   the sizes, and that stride 2 keeps windows 0 and 2 of the stride-1 sweep.
  assert.equal(poolOutputSize(5, 3, 1, 0, 1, false, "000"), 3);
  assert.equal(poolOutputSize(5, 3, 2, 0, 1, false, "000"), 2);
  const x = tensor([[[[4, -1, 9, 0, 2]]]]); // [1, 1, 1, 5], arbitrary values
  const s1 = maxPool2d(x, [1, 3], { stride: [1, 1] });
  const s2 = maxPool2d(x, [1, 3], { stride: [1, 2] });
  assert.deepEqual([...s1.shape], [1, 1, 1, 3]);
  assert.deepEqual([...s2.shape], [1, 1, 1, 2]);
  const a1 = plane(s1)[0];
  assert.deepEqual(a1, [9, 9, 9]);
  assert.deepEqual(plane(s2)[0], [a1[0], a1[2]]);
});

test(`${L000}: 2-D max pooling M=N=5, P=Q=3, stride 1 → 3x3 (single feature map)`, () => {
  // 000 line 347-353: "Max pooling in 2-D for a Single Feature Map" "Output size = (M-P)/s + 1 x (N-Q)/s + 1"
  //   "$M = N = 5$, $P = Q = 3$ and with (default) stride of 1." "Output size will be $3 \times 3 \times 1$".
  const x = tensor([[Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => 5 * i + j))]]);
  const y = maxPool2d(x, 3, { stride: 1 });
  assert.deepEqual([...y.shape], [1, 1, 3, 3]);
  // max of a window of this ramp is its bottom-right corner 5*(i+2) + (j+2)
  assert.deepEqual(plane(y), [
    [12, 13, 14],
    [17, 18, 19],
    [22, 23, 24],
  ]);
});

test(`${L002}: pooling 224x224x64 → 112x112x64 (2x2, stride 2), each map independently`, () => {
  // 002 line 1181-1194: "Pooling" "Makes the representations smaller" "Operates over each activation map
  //   independently" "224x224x64" → "112x112x64" "pool"; line 1220-1221: "max pool with 2x2 filters and stride 2".
  const y = maxPool2d(zeros([1, 64, 224, 224]), 2, { stride: 2 });
  assert.deepEqual([...y.shape], [1, 64, 112, 112]);
  const a = avgPool2d(zeros([1, 64, 224, 224]), 2, { stride: 2 });
  assert.deepEqual([...a.shape], [1, 64, 112, 112]);
  // independence of maps: pooling a two-map stack equals pooling each map alone
  const stack = tensor([[T001A, T001B]]);
  const pooled = (maxPool2d(stack, 2).toArray() as number[][][][])[0];
  assert.deepEqual(pooled[0], plane(maxPool2d(tensor([[T001A]]), 2)));
  assert.deepEqual(pooled[1], plane(maxPool2d(tensor([[T001B]]), 2)));
});

// ---- 1-D, 3-D, L2 and adaptive pooling, winners' positions (the pooling layers of issue 4) ----------

const F = nn.functional;

test(`${L000}: 1-D max pooling M=5, P=3 with MaxPool1d: stride 1 → 3 outputs, stride 2 → 2, no padding`, () => {
  // 000 line 307-322: "1-d example" "$M=5$" "$P=3$" "$$\frac{M-P}{S} + 1 = \frac{5-3}{1} + 1 = 2 + 1 = 3$$"
  //   "$D=0$ always (padding disallowed)"; line 333-345: stride 2 → "$$\frac{M-P}{S} + 1 = \frac{2}{2} + 1 = 2$$".
  // The signal itself was in a lost figure (so its answer "[6,8]" cannot be checked); any length-5
  //   signal shows the sizes and which windows each stride keeps.
  const x = tensor([[[4, -1, 9, 0, 2]]]); // [N=1, C=1, M=5]
  const s1 = new nn.MaxPool1d(3, { stride: 1 }).forward(x);
  const s2 = new nn.MaxPool1d(3, { stride: 2 }).forward(x);
  assert.deepEqual([...s1.shape], [1, 1, (5 - 3) / 1 + 1]);
  assert.deepEqual([...s2.shape], [1, 1, (5 - 3) / 2 + 1]);
  assert.deepEqual([...s1.data()], [9, 9, 9]); // windows [4,-1,9] [-1,9,0] [9,0,2]
  assert.deepEqual([...s2.data()], [9, 9]); // windows 0 and 2 of the stride-1 sweep
  // a signal of our own whose stride-2 answer is the slide's [6,8]: windows [1,6,3] and [3,8,2]
  const y = F.maxPool1d(tensor([[[1, 6, 3, 8, 2]]]), 3, { stride: 2 });
  assert.deepEqual([...y.data()], [6, 8]);
  assert.deepEqual([...F.maxPool1d(tensor([[[1, 6, 3, 8, 2]]]), 3, { stride: 1 }).data()], [6, 8, 8]);
});

test(`${L000}: AlexNet's 3x3 max pooling with stride 1 reduces 57x57 to 55x55 for each filter`, () => {
  // 000 line 367-370: "Thus, $((224 + 11)/4 - 1) \times ((224 + 11)/4 - 1) = 57 \times 57$."
  //   "Max-pooling ($3 \times 3 \times 1$ with stride of 1) in the end reduces size to 55×55 for each filter".
  const y = new nn.MaxPool2d(3, { stride: 1 }).forward(zeros([1, 48, 57, 57]));
  assert.deepEqual([...y.shape], [1, 48, 55, 55]);
});

test(`${L002}: max pooling keeps track of which position had the highest value: P = argmax, U = Y(P)`, () => {
  // 002 line 1311-1314: "From each P X P block of each map, pool down to a single value" "For max pooling,
  //   during training keep track of which position had the highest value"; line 1352-1357:
  //   "P(i,j) = argmax Y(k,l), k ∈ {(i-1)d+1, id}, l ∈ {(j-1)d+1, jd}" "U(i,j) = Y(P(i,j))".
  // On the max-pool slide's input (1215-1218, clean in the mean-pool slide 1231-1236) and 001's table.
  for (const [t, values, positions] of [
    [T002, [6, 8, 3, 4], [[1, 1], [1, 3], [2, 0], [3, 3]]],
    [T001A, [8, 9, 5, 7], [[0, 1], [0, 2], [3, 1], [3, 2]]],
  ] as const) {
    const x = tensor([[t]], { dtype: "float64", requiresGrad: true });
    const { out, indices } = new nn.MaxPool2d(2, { stride: 2, returnIndices: true }).forwardWithIndices(x);
    assert.deepEqual([...out.data()], [...values]);
    // PyTorch's flat index k*W + l within the map (0-based)
    assert.deepEqual([...indices.data()], positions.map(([k, l]) => k * 4 + l));
    // U(i,j) = Y(P(i,j))
    positions.forEach(([k, l], i) => assert.equal(out.data()[i], t[k][l]));
    // training: the gradient of U(i,j) flows to Y(P(i,j)) only
    out.sum().backward();
    const grad = (x.grad!.toArray() as number[][][][])[0][0];
    grad.forEach((row, k) => row.forEach((g, l) => assert.equal(g, positions.some(([a, b]) => a === k && b === l) ? 1 : 0)));
    // and MaxUnpool2d puts each U back at its P
    const back = plane(new nn.MaxUnpool2d(2).forward(out, indices));
    back.forEach((row, k) => row.forEach((v, l) => assert.equal(v, positions.some(([a, b]) => a === k && b === l) ? t[k][l] : 0)));
  }
});

test(`${L001}: L2 pooling (norm type 2) of the 4x4 table, between the average and the max`, () => {
  // 001 line 414: "Pooling types: Max, Average, L2 etc." next to the max / average tables (377-410).
  // L2 pooling as PyTorch's LPPool2d(2): sqrt of the window's sum of squares.
  const x = tensor([[T001A]], { dtype: "float64" });
  const l2 = plane(new nn.LPPool2d(2, 2, { stride: 2 }).forward(x));
  const want = [
    [Math.sqrt(2 * 2 + 8 * 8 + 3 * 3 + 6 * 6), Math.sqrt(9 * 9 + 4 * 4 + 5 * 5 + 7 * 7)],
    [Math.sqrt(3 * 3 + 1 * 1 + 2 * 2 + 5 * 5), Math.sqrt(6 * 6 + 4 * 4 + 7 * 7 + 3 * 3)],
  ];
  l2.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - want[i][j]) < 1e-12, `${v} vs ${want[i][j]}`)));
  // the root mean square (L2 / 2 for four cells) lies between the window's mean and its max
  const avg = plane(avgPool2d(x, 2));
  const max = plane(maxPool2d(x, 2));
  l2.forEach((row, i) => row.forEach((v, j) => assert.ok(avg[i][j] <= v / 2 && v / 2 <= max[i][j])));
});

test(`${L004}: pooling output shape (c, ⌊(l_h + p_h - k_h)/s_h⌋ + 1, ⌊(l_w + p_w - k_w)/s_w⌋ + 1), channels kept`, () => {
  // 004 line 778-784: "Pooling" "Input shape (c, l_h, l_w)" "Output shape
  //   $(c, o_h, o_w) = (c, \lfloor \frac{l_h + p_h - k_h}{s_h} \rfloor + 1, ...)$", p the total padding
  //   (PyTorch pools with padding on both sides: p = 2·padding).
  for (const [lh, lw, kh, kw, sh, sw, ph, pw] of [
    [7, 9, 3, 2, 2, 3, 1, 1], [8, 8, 2, 2, 2, 2, 0, 0], [5, 11, 3, 3, 1, 4, 0, 1], [6, 7, 4, 3, 3, 2, 2, 1],
  ]) {
    const oh = Math.floor((lh + 2 * ph - kh) / sh) + 1;
    const ow = Math.floor((lw + 2 * pw - kw) / sw) + 1;
    for (const layer of [new nn.MaxPool2d([kh, kw], { stride: [sh, sw], padding: [ph, pw] }), new nn.AvgPool2d([kh, kw], { stride: [sh, sw], padding: [ph, pw] })]) {
      assert.deepEqual([...layer.forward(zeros([3, lh, lw])).shape], [3, oh, ow], `${layer}`);
    }
    // the 1-D form along each axis gives the same lengths
    assert.deepEqual([...F.maxPool1d(zeros([3, lh]), kh, { stride: sh, padding: ph }).shape], [3, oh]);
    assert.deepEqual([...F.avgPool1d(zeros([3, lw]), kw, { stride: sw, padding: pw }).shape], [3, ow]);
  }
});

test(`${L004}: 3-D input shape (c, h, w, d): pooling slides over h, w and d alike`, () => {
  // 004 line 770-773: "3D convolution" "Input shape (c, h, w, **d**)" "Convolution/slide over h, w, and d."
  //   — the pooling formula above, applied on each of the three axes (PyTorch orders them d, h, w).
  const y = new nn.MaxPool3d([2, 3, 2], { stride: [2, 1, 2], padding: [1, 1, 0] }).forward(zeros([4, 5, 7, 6]));
  assert.deepEqual([...y.shape], [4, Math.floor((5 + 2 - 2) / 2) + 1, Math.floor((7 + 2 - 3) / 1) + 1, Math.floor((6 - 2) / 2) + 1]);
  const a = new nn.AvgPool3d(2).forward(zeros([4, 5, 7, 6]));
  assert.deepEqual([...a.shape], [4, 2, 3, 3]);
});

test(`${L004}: average pooling (1-D) equals convolution with kernel values 1/kernel_size`, () => {
  // 004 line 793-797: "Average Pooling" "Equivalent to convolution with kernel values = $1/\text{kernel_size}$",
  //   here on the sequence x = [1,0,2,2,3,1] of 004's 1-D convolution examples, kernel 3.
  const x = tensor([[[1, 0, 2, 2, 3, 1]]]);
  const third = full([1, 1, 1, 3], 1 / 3);
  for (const stride of [1, 2, 3]) {
    const pooled = [...F.avgPool1d(x, 3, { stride }).data()];
    const conv = [...conv2d(x.unsqueeze(2), third, null, { stride: [1, stride] }).data()];
    pooled.forEach((v, i) => assert.ok(Math.abs(v - conv[i]) < 1e-6));
  }
  assert.deepEqual([...F.avgPool1d(tensor([[[1, 0, 2, 2, 3, 1]]], { dtype: "float64" }), 3, { stride: 1 }).data()].map((v) => v * 3), [3, 4, 7, 6]);
});

test(`${L002}: "only 5 million parameters, thanks to average pooling" vs VGG's ~140 million: global average pooling`, () => {
  // 002 line 2039-2082: VGG ("input (224 x 224 RGB image)", five "maxpool", "FC-4096" "FC-4096" "FC-1000",
  //   "~140 million parameters in all!") and GoogLeNet: "Using only 5 million parameters, thanks to average pooling".
  // VGG's last map is 512 x 7 x 7 (224 / 2^5). Flattened, its first FC-4096 alone needs 25088·4096 + 4096
  //   weights, most of the 140 million; averaging each map to one value first (global average
  //   pooling, AdaptiveAvgPool2d(1)) leaves 512 inputs and 512·4096 + 4096.
  assert.equal(224 / 2 ** 5, 7);
  const map = zeros([1, 512, 7, 7]);
  const pooled = new nn.AdaptiveAvgPool2d(1).forward(map);
  assert.deepEqual([...pooled.shape], [1, 512, 1, 1]);
  assert.deepEqual([...F.globalAvgPool2d(map).shape], [1, 512, 1, 1]);
  const linearParams = (inF: number, outF: number) => inF * outF + outF; // weight [out, in] + bias
  assert.equal(new nn.Linear(512, 40).numParameters(), linearParams(512, 40));
  const flatHead = linearParams(512 * 7 * 7, 4096);
  const gapHead = linearParams(512, 4096);
  assert.equal(flatHead, 102_764_544);
  assert.equal(gapHead, 2_101_248);
  assert.ok(flatHead > 0.7 * 140e6 && gapHead < 5e6);
});
