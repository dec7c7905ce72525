/**
 * Golden tests: the pooling worked examples of the lecture notes in /work/shared/lectures/.
 * Every test names its lecture file and quotes the line that locates the example.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { avgPool2d, conv2d, full, maxPool2d, poolOutputSize, tensor, zeros, type Tensor } from "../../src/index.js";

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
