/**
 * summary() over the whole zoo: parameter totals equal numParameters and the published counts,
 * the rows add up, the output shape is a real forward's, the MACs match torchvision's published
 * operation counts; and the VGG-19 summary at 3x224x224 allocates nothing on the real backend
 * and takes well under a second.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { getBackend, inspect, models, noGrad, randn, release, type Tensor } from "../../src/index.js";
import { DEFAULT_INPUTS, summarySpec } from "../../src/cli/summary.js";
import { withModel } from "../models/zoo-helpers.js";

const { summary, onMeta, formatSummary } = inspect;

/** The zoo's parameter counts (docs/zoo.md; asserted on real builds in test/models). */
const PUBLISHED: Record<models.ModelName, number> = {
  mlp: 23_860, lenet5: 61_706, alexnet: 61_100_840, "alexnet-two-tower": 60_965_224, zfnet: 62_357_608,
  vgg11: 132_863_336, "vgg11-bn": 132_868_840, vgg13: 133_047_848, "vgg13-bn": 133_053_736,
  vgg16: 138_357_544, "vgg16-bn": 138_365_992, vgg19: 143_667_240, "vgg19-bn": 143_678_248,
  resnet18: 11_689_512, resnet34: 21_797_672, resnet50: 25_557_032, resnet101: 44_549_160, resnet152: 60_192_808,
  densenet121: 7_978_856, googlenet: 6_624_904, "mobilenet-v1": 4_231_976, xception: 22_855_952,
  "mlp-deep": 11_972_510, "autoencoder-8-3-8": 59,
  // Embedding 54x32, LSTM 32 -> 128, head 128 -> 54 over the bundled names' 54 characters.
  charrnn: 54 * 32 + 4 * 128 * (32 + 128 + 2) + (128 * 54 + 54),
};

/**
 * Operation counts at 224x224 in torchvision's weight tables ("GFLOPS", which are
 * multiply-accumulates of convolutions and linear layers), and MobileNet v1's paper (569 million
 * mult-adds): the same convention, to the published two decimals.
 */
const PUBLISHED_GMACS: Partial<Record<models.ModelName, number>> = {
  alexnet: 0.71, vgg11: 7.61, vgg13: 11.31, vgg16: 15.47, vgg19: 19.63, "vgg16-bn": 15.47,
  resnet18: 1.81, resnet34: 3.66, resnet50: 4.09, resnet101: 7.8, resnet152: 11.51,
  densenet121: 2.83, googlenet: 1.5, "mobilenet-v1": 0.57,
};

for (const name of models.MODEL_NAMES) {
  test(`summary of ${name} (built on the meta backend) at ${DEFAULT_INPUTS[name].join("x")}: totals, rows, output`, () => {
    const net = onMeta(() => models.createModel(summarySpec(name, DEFAULT_INPUTS[name])));
    const t0 = performance.now();
    const s = summary(net, DEFAULT_INPUTS[name], { dtype: name === "charrnn" ? "int32" : "float32" });
    const ms = performance.now() - t0;
    assert.equal(s.totals.params, net.numParameters());
    assert.equal(s.totals.params, PUBLISHED[name]);
    assert.equal(s.totals.trainable, s.totals.params);
    assert.equal(s.rows.reduce((n, r) => n + r.params, 0), s.totals.params, "the leaf rows hold every parameter");
    assert.equal(s.rows.reduce((n, r) => n + r.macs, 0), s.totals.macs, "the leaf rows hold every MAC");
    assert.ok(s.rows.every((r) => r.leaf && r.calls >= 1 && r.outputShape !== null), "every leaf runs");
    const classes = name === "autoencoder-8-3-8" ? 8 : name === "mlp" || name === "lenet5" || name === "mlp-deep" ? 10 : 1000;
    assert.deepEqual(s.outputShape, name === "charrnn" ? [1, DEFAULT_INPUTS.charrnn[0], 54] : [1, classes]);
    const published = PUBLISHED_GMACS[name];
    if (published !== undefined) assert.equal(Math.round(s.totals.macs / 1e7) / 100, published, `${name}: ${s.totals.macs} MACs`);
    assert.ok(ms < 1000, `${name} summarised in ${ms.toFixed(0)} ms`);
  });
}

/** Reduced inputs where a real forward is cheap (docs/zoo.md's smallest sizes). */
const REAL: [models.AnyModelSpec, number[]][] = [
  [{ name: "mlp" }, [1, 28, 28]],
  [{ name: "lenet5", options: { variant: "classic" } }, [1, 32, 32]],
  [{ name: "lenet5" }, [1, 28, 28]],
  [{ name: "autoencoder-8-3-8" }, [8]],
  [{ name: "resnet18", options: { numClasses: 10 } }, [3, 40, 48]],
  [{ name: "resnet50", options: { numClasses: 10, inChannels: 1 } }, [1, 32, 32]],
  [{ name: "densenet121", options: { numClasses: 10 } }, [3, 33, 35]],
  [{ name: "googlenet", options: { numClasses: 10 } }, [3, 41, 37]],
  [{ name: "mobilenet-v1", options: { numClasses: 10 } }, [3, 45, 32]],
  [{ name: "xception", options: { numClasses: 10 } }, [3, 71, 64]],
  [{ name: "alexnet", options: { numClasses: 10 } }, [3, 70, 63]],
];

for (const [spec, input] of REAL) {
  test(`summary of a real ${spec.name} ${JSON.stringify(spec.options ?? {})} at ${input.join("x")} agrees with its forward`, () => {
    withModel(() => models.createModel(spec), (net) => {
      const s = summary(net, input, { batchSize: 2 });
      assert.equal(s.totals.params, net.numParameters());
      net.eval();
      noGrad(() => {
        const x = randn([2, ...input]);
        const y: Tensor = net.forward(x);
        assert.deepEqual(s.outputShape, [...y.shape]);
        release(x);
        release(y);
      });
    });
  });
}

/** Counts every call the real backend receives while fn runs. */
function backendCalls(fn: () => void): number {
  const backend = getBackend() as unknown as Record<string, unknown>;
  const names = new Set<string>();
  for (let o: object | null = backend; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Object.getOwnPropertyNames(o)) if (k !== "constructor" && typeof backend[k] === "function") names.add(k);
  }
  let calls = 0;
  const own = new Map<string, PropertyDescriptor | undefined>();
  for (const k of names) {
    own.set(k, Object.getOwnPropertyDescriptor(backend, k));
    const f = backend[k] as (...a: unknown[]) => unknown;
    Object.defineProperty(backend, k, { configurable: true, writable: true, value: (...a: unknown[]) => ((calls += 1), f.apply(backend, a)) });
  }
  try {
    fn();
  } finally {
    for (const [k, d] of own) {
      if (d) Object.defineProperty(backend, k, d);
      else delete backend[k];
    }
  }
  return calls;
}

test("VGG-19 at 3x224x224: the summary allocates nothing on the real backend and takes well under a second", () => {
  withModel(() => models.createModel({ name: "vgg19" }), (net) => {
    const memory = getBackend().memory;
    const before = memory?.stats();
    let s: inspect.Summary | undefined;
    let ms = Infinity;
    const calls = backendCalls(() => {
      const t0 = performance.now();
      s = summary(net, [3, 224, 224]);
      ms = performance.now() - t0;
    });
    assert.equal(calls, 0, "no allocation, no kernel: the real backend is never called");
    if (memory && before) assert.deepEqual(memory.stats(), before, "wasm heap: used and peak bytes unchanged");
    assert.ok(ms < 1000, `VGG-19 summary took ${ms.toFixed(1)} ms`);
    console.log(`# VGG-19 summary at 3x224x224 on ${getBackend().name}: ${ms.toFixed(1)} ms`);
    assert.equal(s!.totals.params, 143_667_240);
    assert.equal(s!.totals.macs, 19_632_062_464);
    // 224 → 112 → 56 → 28 → 14 → 7 through the five pools; conv1_1 alone holds 64x224x224 floats.
    assert.deepEqual(s!.rows.filter((r) => r.type === "MaxPool2d").map((r) => r.outputShape), [
      [1, 64, 112, 112], [1, 128, 56, 56], [1, 256, 28, 28], [1, 512, 14, 14], [1, 512, 7, 7],
    ]);
    assert.equal(s!.rows[0].activationBytes, 64 * 224 * 224 * 4);
    // And the real weights still run: a forward at 32x32 (the adaptive pool makes any size >= 32 work).
    net.eval();
    noGrad(() => {
      const y = net.forward(randn([1, 3, 32, 32]));
      assert.deepEqual(y.shape, [1, 1000]);
      assert.ok(Array.from(y.data()).every(Number.isFinite));
      release(y);
    });
  });
});

test("formatSummary: aligned columns, human units, exact totals", () => {
  const net = onMeta(() => models.createModel({ name: "resnet18" }));
  const text = formatSummary(summary(net, [3, 224, 224]));
  const lines = text.split("\n");
  assert.match(lines[0], /^ResNet: input \[1, 3, 224, 224\] -> output \[1, 1000\]$/);
  const conv1 = lines.find((l) => l.startsWith("conv1 "))!;
  assert.match(conv1, /^conv1\s+Conv2d\s+\[1, 64, 112, 112\]\s+9\.41K\s+118M\s+3\.06 MB$/);
  assert.match(text, /layer1\.0\.relu\s+ReLU\s+\[1, 64, 56, 56\]/);
  // A module called more than once shows its count (Bottleneck reuses one ReLU twice).
  const r50 = formatSummary(summary(onMeta(() => models.createModel({ name: "resnet50" })), [3, 224, 224]));
  assert.match(r50, /layer1\.0\.relu\s+ReLU x2\s+\[1, 64, 56, 56\]\s+0\s+0\s+1\.53 MB/);
  assert.match(text, /Total params:\s+11,689,512 \(11\.7M\)/);
  assert.match(text, /MACs:\s+1,814,073,344 \(1\.81 GMACs\)/);
  assert.match(text, /Buffers:\s+9,620 \(running statistics; not parameters\)/);
  assert.match(text, /Parameters:\s+44\.59 MB/);
  // The columns line up: every row's "Output shape" starts where the header's does.
  const header = lines.find((l) => l.startsWith("Layer"))!;
  const col = header.indexOf("Output shape");
  for (const l of lines.filter((x) => /^layer\d\.\d\.conv\d /.test(x))) assert.equal(l.indexOf("["), col, l);
  assert.equal(inspect.humanCount(999), "999");
  assert.equal(inspect.humanCount(34_944), "34.9K");
  assert.equal(inspect.humanCount(138_357_544), "138M");
  assert.equal(inspect.humanCount(3_400_000_000), "3.40G");
  assert.equal(inspect.humanBytes(3 * 2 ** 20), "3.00 MB");
});

test("toString prints the module tree with per-layer and total parameter counts", () => {
  const net = onMeta(() => models.createModel({ name: "resnet18" }));
  const text = net.toString();
  assert.match(text, /^ResNet\(\n/);
  assert.match(text, /\(conv1\): Conv2d\(3, 64, kernelSize=\[?7/);
  assert.match(text, /# 9,408 params/);
  assert.ok(text.trimEnd().endsWith("# 11,689,512 params"), text.slice(-200));
});
