/**
 * Golden tests: the numbers of the lectures (/work/shared/lectures), reproduced by summary() and
 * the conv / pool arithmetic. Each test quotes where its numbers come from.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { inspect, models, nn, noGrad, randn, release } from "../../src/index.js";

const { summary, onMeta, explainConv, explainPool, axisArithmetic } = inspect;

/** The lecture tables' units: whole thousands or millions, cut (not rounded): 884,736 → "884K". */
const truncated = (n: number): string => (n >= 1e6 ? `${Math.floor(n / 1e6)}M` : `${Math.floor(n / 1e3)}K`);
const hwc = (shape: number[] | null): string => (shape ? (shape.length === 4 ? `${shape[2]}x${shape[3]}x${shape[1]}` : String(shape[1])) : "--");

test("lecture 001 'Parameter Calculation': AlexNet's per-layer table on the two-tower model", () => {
  // 001_a2f14e15156e1fc5.txt: "Parameters: [(11x11x3)+1]x96 = 35 K, [5x5x48]x256 = 307 K,
  // [3x3x256]x384 = 884 K, 663 K, 442 K, 37 M, 16 M, 4 M, 60 M".
  const s = summary(onMeta(() => models.createModel({ name: "alexnet-two-tower" })), [3, 227, 227]);
  const layers = s.rows.filter((r) => r.type === "Conv2d" || r.type === "Linear");
  assert.deepEqual(layers.map((r) => r.name), ["features.0", "features.4", "features.8", "features.10", "features.12", "classifier.1", "classifier.4", "classifier.6"]);
  // What the summary reports (weights + biases) ...
  assert.deepEqual(layers.map((r) => r.params), [34_944, 307_456, 885_120, 663_936, 442_624, 37_752_832, 16_781_312, 4_097_000]);
  assert.equal(s.totals.params, 60_965_224);
  // ... and the lecture's convention: weights only, (F·F·D)·K with D the channels a filter sees
  // (48 = 96/2 on the grouped conv2, 192 on conv4 and conv5), cut to whole K / M. That reproduces
  // seven of the eight entries exactly. Counting biases, conv3 would read 885K; rounding instead
  // of cutting would give 885K, 664K, 38M and 17M.
  const outChannels = layers.map((r) => r.outputShape![1]);
  const weights = layers.map((r, i) => r.params - outChannels[i]);
  assert.deepEqual(weights, [34_848, 307_200, 884_736, 663_552, 442_368, 37_748_736, 16_777_216, 4_096_000]);
  assert.deepEqual(weights.slice(1).map(truncated), ["307K", "884K", "663K", "442K", "37M", "16M", "4M"]);
  assert.deepEqual(layers.slice(1).map((r) => truncated(r.params)), ["307K", "885K", "663K", "442K", "37M", "16M", "4M"], "with biases conv3 would read 885K");
  // conv1 is the exception: the lecture counts its bias ([(11x11x3)+1]x96 = 34,944) and rounds, "35 K (approx.)".
  assert.equal(layers[0].params, (11 * 11 * 3 + 1) * 96);
  assert.equal(Math.round(layers[0].params / 1e3), 35);
  assert.equal(truncated(s.totals.params), "60M");
  // "Fully-connected layers contain about 95% of parameters"; "convolutional layers cumulatively
  // contain about 90-95% of computation".
  const fc = layers.slice(5).reduce((n, r) => n + r.params, 0);
  assert.ok(fc / s.totals.params > 0.95 && fc / s.totals.params < 0.97, `FC share ${fc / s.totals.params}`);
  const convMacs = layers.slice(0, 5).reduce((n, r) => n + r.macs, 0);
  assert.ok(convMacs / s.totals.macs >= 0.9 && convMacs / s.totals.macs <= 0.95, `conv MAC share ${convMacs / s.totals.macs}`);
  // "Neurons: 253,440; 27x27x256 = 186,624; 13x13x384 = 64,896; 64,896; 13x13x256 = 43,264; 4096; 4096; 1000".
  // conv1's 253,440 is the AlexNet paper's own figure and does not match its 55x55x96 = 290,400.
  const neurons = layers.map((r) => r.outputShape!.slice(1).reduce((a, b) => a * b, 1));
  assert.deepEqual(neurons, [290_400, 186_624, 64_896, 64_896, 43_264, 4096, 4096, 1000]);
});

test("lecture 002 'AlexNet: Network Size': 55x55x96 after CONV1, 27x27x96 after POOL1, down to 6x6x256", () => {
  // "[55x55x96] CONV1 ... [27x27x96] MAX POOL1 ... [27x27x256] CONV2 ... [13x13x256] MAX POOL2 ...
  // [13x13x384] CONV3, [13x13x384] CONV4, [13x13x256] CONV5, [6x6x256] MAX POOL3, [4096] FC6, [4096] FC7, [1000] FC8"
  const s = summary(onMeta(() => models.createModel({ name: "alexnet-two-tower" })), [3, 227, 227]);
  const shape = (name: string) => hwc(s.rows.find((r) => r.name === name)!.outputShape);
  assert.deepEqual(
    ["features.0", "features.3", "features.4", "features.7", "features.8", "features.10", "features.12", "features.14", "classifier.1", "classifier.4", "classifier.6"].map(shape),
    ["55x55x96", "27x27x96", "27x27x256", "13x13x256", "13x13x384", "13x13x384", "13x13x256", "6x6x256", "4096", "4096", "1000"],
  );
  assert.equal(shape("features.2"), "55x55x96", "the paper's order: LRN after conv1, before the pool");
  // The same shapes from a real forward of the first layers.
  const net = new models.AlexNetTwoTower().eval();
  noGrad(() => {
    const x = randn([1, 3, 227, 227]);
    const f = net.features;
    const conv1 = f.at(0).forward(x);
    const pool1 = f.at(3).forward(f.at(2).forward(f.at(1).forward(conv1)));
    assert.deepEqual([hwc([...conv1.shape]), hwc([...pool1.shape])], ["55x55x96", "27x27x96"]);
    release(x);
  });
  // "What is the output volume size? (227-11)/4+1 = 55"; "What is the number of parameters?
  // 11x11x3x96 = 35K"; "Second layer (POOL1): 3x3 filters applied at stride 2 ... (55-3)/2+1 = 27 ...
  // What is the number of parameters in this layer? 0".
  const c = explainConv({ input: [227, 227, 3], kernel: 11, stride: 4, padding: 0, filters: 96 });
  assert.deepEqual([c.outputSize, c.outputDepth, c.weights, c.biases, c.neurons, c.macs], [[55, 55], 96, 34_848, 96, 290_400, 105_415_200]);
  assert.ok(c.lines.includes("        = (227 - 11 + 2*0)/4 + 1"), c.lines.join("\n"));
  const p = explainPool({ input: [55, 55, 96], kernel: 3, stride: 2 });
  assert.deepEqual([p.outputSize, p.outputDepth, p.params], [[27, 27], 96, 0]);
  assert.ok(p.lines.includes("        = (55 - 3 + 2*0)/2 + 1"), p.lines.join("\n"));
  // The lecture 002 table lists CONV4 as 1.3M: conv4 without the two towers (384 → 384, 3x3);
  // the two-tower conv4 (each filter sees 192 channels) is lecture 001's 663K.
  assert.equal(explainConv({ input: [13, 13, 384], kernel: 3, padding: 1, filters: 384 }).weights, 1_327_104);
  assert.equal(explainConv({ input: [13, 13, 384], kernel: 3, padding: 1, filters: 384, groups: 2 }).weights, 663_552);
});

test("lecture 000 'MLP Vs CNN': 200x200x3, 20 filters of 5x5x3, pad 4: 1,500 weights, 832,320 neurons", () => {
  // "CNN: Hidden layer has 20 feature-maps each of size 5x5x3 with stride = 1 and zero padding of 4
  // ... How many parameters? Answer: Just 1500 ... wts = 20x5x5x3"; "20 x ((200 + 5)/s - 1) x
  // ((200 + 5)/s - 1) = 832320"; "MLP: Hidden Layer has 40k neurons, resulting in 4.8 billion
  // parameters"; "40000 < 832320".
  const e = explainConv({ input: [200, 200, 3], kernel: 5, stride: 1, padding: 4, filters: 20, bias: false });
  assert.equal(e.weights, 1500);
  assert.equal(e.params, 1500);
  assert.deepEqual(e.outputSize, [204, 204]);
  assert.equal(e.outputSize[0], (200 + 5) / 1 - 1, "D = P - 1 gives (M + P)/s - 1");
  assert.equal(e.neurons, 832_320);
  // The same layer as a real Conv2d through summary (1,500 weights; 20 more with biases).
  const cnn = summary(new nn.Conv2d(3, 20, 5, { padding: 4, bias: false }), [3, 200, 200]);
  assert.equal(cnn.totals.params, 1500);
  assert.deepEqual(cnn.outputShape, [1, 20, 204, 204]);
  // The MLP: 200·200·3 = 120,000 inputs fully connected to 40,000 hidden neurons. Built on the meta
  // backend, its 4.8 billion weights cost no memory.
  const mlp = summary(onMeta(() => new nn.Linear(200 * 200 * 3, 40_000, { bias: false })), [120_000]);
  assert.equal(mlp.totals.params, 4_800_000_000);
  assert.ok(40_000 < e.neurons, "the CNN has more neurons ...");
  assert.ok(mlp.totals.params / e.weights === 3_200_000, "... and 3.2 million times fewer weights");
  // "If D = (P - 1)/2 and S = 1, output will be of same size as input!"
  assert.deepEqual(explainConv({ input: [200, 200, 3], kernel: 5, padding: 2, filters: 20 }).outputSize, [200, 200]);
  // "Hint: Try out M = 200, D = 0, S = 2, P = 5": (200 - 5)/2 + 1 = 98.5, not an integer.
  const hint = axisArithmetic(200, 5, 2, 0);
  assert.deepEqual([hint.exact, hint.coversPerfectly, hint.pytorch], [98.5, false, 98]);
});

test("lecture 001 'CNN': fully connected 14.4 billion vs convolutional 27 x #feature maps", () => {
  // "Image of size 200 X 200 and 3 colours; #Hidden Units: 120,000; #Params: 14.4 billion
  // (=120K X 120K)" ... "Convolutional layer ... #Params: 27 x #Feature Maps".
  const fc = summary(onMeta(() => new nn.Linear(120_000, 120_000, { bias: false })), [120_000]);
  assert.equal(fc.totals.params, 14_400_000_000);
  for (const maps of [1, 5, 64]) {
    const conv = summary(new nn.Conv2d(3, maps, 3, { bias: false, padding: 1 }), [3, 200, 200]);
    assert.equal(conv.totals.params, 27 * maps);
  }
});

test("lecture 002 'Stride': 7x7 map, 3x3 filter, strides 1, 2, 3 → 5, 3, 2.33 (cannot cover perfectly)", () => {
  // "Output size (N-F)/S + 1, N=7 F=3: Stride 1 (7-3)/1+1 => 5, Stride 2 (7-3)/2+1 => 3,
  // Stride 3 (7-3)/3+1 => 2.33" and "Cannot cover perfectly".
  assert.deepEqual([1, 2].map((s) => axisArithmetic(7, 3, s).exact), [5, 3]);
  const three = explainConv({ input: [7, 7, 1], kernel: 3, stride: 3, filters: 1 });
  assert.equal(three.axes[0].exact.toFixed(2), "2.33");
  assert.equal(three.axes[0].coversPerfectly, false);
  assert.deepEqual(three.outputSize, [2, 2], "PyTorch floors");
  assert.ok(three.lines.some((l) => l.includes("= 2.33: the stride cannot cover perfectly (4 is not a multiple of 3)")), three.lines.join("\n"));
  assert.ok(three.lines.some((l) => l.includes("PyTorch floors: 2, and the last 1 cell of the padded input is never covered")));
  // Pooling with ceilMode keeps the partial window (as PyTorch's MaxPool2d(3, stride 3, ceilMode)).
  const pool = explainPool({ input: [7, 7, 1], kernel: 3, stride: 3 });
  assert.deepEqual(pool.axes.map((a) => a.pytorchCeil), [3, 3]);
  const real = summary(new nn.MaxPool2d(3, { stride: 3, ceilMode: true }), [1, 7, 7]);
  assert.deepEqual(real.outputShape, [1, 1, 3, 3]);
});

test("lecture 004: output shapes and TensorFlow's valid / same", () => {
  // "qn5: Input 224x224, kernel 5x5, padding (1,1), stride (2,2), output 111x111";
  // "qn6: Input 224x224, kernel 5x1, padding (1,1), stride (2,2), output 111x113".
  assert.deepEqual(explainConv({ input: [224, 224], kernel: 5, padding: 1, stride: 2, filters: 1 }).outputSize, [111, 111]);
  assert.deepEqual(explainConv({ input: [224, 224], kernel: [5, 1], padding: 1, stride: 2, filters: 1 }).outputSize, [111, 113]);
  // x = [1, 0, 2, 2, 3, 1], w = [3, 2, 2]: "Valid ... o = l - k + 1 = 6 - 3 + 1 = 4"; "Same padding
  // ... p = k - 1 = 2, Left padding = floor(p/2), Right padding = ceil(p/2)" → 6 outputs.
  const x = axisArithmetic(6, 3);
  assert.equal(x.tfValid, 4);
  assert.deepEqual([x.tfSame, x.tfSamePadding], [6, { total: 2, before: 1, after: 1 }]);
  // "Not exact matching, with padding p (=2): (6+2-3)/2+1 = 3" (p counts both sides: P = 1 each).
  const odd = axisArithmetic(6, 3, 2, 1);
  assert.deepEqual([odd.pytorch, odd.coversPerfectly], [3, false]);
  // "Stride (for Tensorflow) ... Same: o = ceil(l/s), p = max(s(o - 1) + k - l, 0)" on the
  // lecture's question l = 224, k = 5, s = 2: valid p = 0, o = 110; same o = 112, p = 3 (1 + 2).
  const q = axisArithmetic(224, 5, 2);
  assert.deepEqual([q.tfValid, q.tfSame, q.tfSamePadding], [110, 112, { total: 3, before: 1, after: 2 }]);
  // Dilated convolution (lecture 004's figure): 1-, 2-, 4-dilated 3x3 filters stacked give receptive
  // fields 3, 7, 15 with the same 9 weights each; a 2-dilated 3x3 filter spans 5 cells.
  assert.equal(axisArithmetic(10, 3, 1, 0, 2).span, 5);
  assert.equal(1 + [1, 2, 4].reduce((n, d) => n + 2 * d, 0), 15);
  assert.ok([1, 2, 4].every((d) => explainConv({ input: [32, 32, 1], kernel: 3, dilation: d, padding: d, filters: 1, bias: false }).weights === 9));
});

test("lecture 000 max pooling, 1-D: M = 5, P = 3, S = 1 → 3; S = 2 → 2", () => {
  // "(M-P)/S + 1 = (5-3)/1 + 1 = 2 + 1 = 3"; "stride changes to 2? (M-P)/S + 1 = 2/2 + 1 = 2".
  assert.deepEqual(explainPool({ input: [5], kernel: 3, stride: 1 }).outputSize, [3]);
  assert.deepEqual(explainPool({ input: [5], kernel: 3, stride: 2 }).outputSize, [2]);
  assert.deepEqual(summary(new nn.MaxPool1d(3, { stride: 2 }), [1, 5]).outputShape, [1, 1, 2]);
});

test("lecture 002 VGGNet: 13 conv and 3 FC layers, ~140 million parameters (VGG-16: 138,357,544)", () => {
  // "using 13 conv layers and 3 FC layers"; "Only used 3x3 filters, stride 1, pad 1; only 2x2
  // pooling filters, stride 2"; "~140 million parameters in all!"
  const net = onMeta(() => models.createModel({ name: "vgg16" }));
  const s = summary(net, [3, 224, 224]);
  assert.equal(s.totals.params, 138_357_544);
  assert.equal(Math.round(s.totals.params / 1e6), 138);
  assert.equal(s.rows.filter((r) => r.type === "Conv2d").length, 13);
  assert.equal(s.rows.filter((r) => r.type === "Linear").length, 3);
  // Every 3x3 stride-1 pad-1 convolution keeps the size; every 2x2/2 pool halves it: 224 → 7.
  const pools = s.rows.filter((r) => r.type === "MaxPool2d").map((r) => r.outputShape![2]);
  assert.deepEqual(pools, [112, 56, 28, 14, 7]);
  // The configurations A–E of the lecture's table.
  const counts = (["vgg11", "vgg13", "vgg16", "vgg19"] as const).map((name) => summary(onMeta(() => models.createModel({ name })), [3, 224, 224]).rows.filter((r) => r.type === "Conv2d" || r.type === "Linear").length);
  assert.deepEqual(counts, [11, 13, 16, 19], "11, 13, 16 and 19 weight layers");
});
