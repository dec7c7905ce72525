/**
 * The model zoo (VGG is in zoo-vgg.test.ts: the wasm heap recycles blocks by exact size, so one
 * process cannot hold every model's distinct sizes under its 2 GB cap): parameter counts against the published ones (torchvision's weight tables, the
 * papers, Keras applications; each re-derived in plain torch.nn by tools/zoo_counts.py), a forward
 * pass of each model on a small batch checking [N, numClasses], and state-dict keys against
 * torchvision's naming so its weights load one to one.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { models, nn, noGrad, randn, manualSeed, ValueError } from "../../src/index.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io } from "../../src/index.js";
import { withModel, forwardShape, keys, dispose } from "./zoo-helpers.js";

manualSeed(7);


/** State-dict keys against torchvision's (sampled from its models' state_dict()). */
const KEYS = {
  alexnet(m: nn.Module): void {
    assert.deepEqual(keys(m), [
      "features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias", "features.6.weight", "features.6.bias",
      "features.8.weight", "features.8.bias", "features.10.weight", "features.10.bias",
      "classifier.1.weight", "classifier.1.bias", "classifier.4.weight", "classifier.4.bias", "classifier.6.weight", "classifier.6.bias",
    ]);
    assert.deepEqual(m.stateDict().get("classifier.1.weight")!.shape, [4096, 9216]);
  },
  alexnetTwoTower(m: nn.Module): void {
    const sd = m.stateDict();
    assert.deepEqual(sd.get("features.4.weight")!.shape, [256, 48, 5, 5], "conv2 is grouped: 48 input channels per filter");
    assert.deepEqual(sd.get("features.10.weight")!.shape, [384, 192, 3, 3]);
    assert.deepEqual(sd.get("features.12.weight")!.shape, [256, 192, 3, 3]);
    assert.deepEqual(sd.get("classifier.1.weight")!.shape, [4096, 9216]);
  },
  resnet18(m: nn.Module): void {
    const k = keys(m);
    assert.deepEqual(k.slice(0, 6), ["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked"]);
    for (const key of ["layer1.0.conv1.weight", "layer1.1.bn2.running_mean", "layer2.0.downsample.0.weight", "layer2.0.downsample.1.weight", "layer4.1.conv2.weight", "fc.weight", "fc.bias"]) {
      assert.ok(k.includes(key), key);
    }
    assert.ok(!k.includes("layer1.0.downsample.0.weight"), "layer1 has no downsample in ResNet-18");
    assert.equal(k.length, 122);
  },
  resnet50(m: nn.Module): void {
    const k = keys(m);
    for (const key of ["layer1.0.downsample.0.weight", "layer1.0.conv3.weight", "layer3.5.bn3.running_var", "layer4.2.conv3.weight"]) assert.ok(k.includes(key), key);
    assert.equal(k.length, 320);
    assert.deepEqual(m.stateDict().get("fc.weight")!.shape, [1000, 2048]);
  },
  zfnet(m: nn.Module): void {
    const sd = m.stateDict();
    assert.equal(sd.size, 16);
    assert.deepEqual(sd.get("features.0.weight")!.shape, [96, 3, 7, 7]);
    assert.deepEqual(sd.get("features.4.weight")!.shape, [256, 96, 5, 5]);
    assert.deepEqual(sd.get("classifier.1.weight")!.shape, [4096, 9216]);
  },
  densenet121(m: nn.Module): void {
    const k = keys(m);
    assert.equal(k.length, 727);
    assert.deepEqual(k.slice(0, 2), ["features.conv0.weight", "features.norm0.weight"]);
    for (const key of ["features.denseblock1.denselayer1.norm1.weight", "features.denseblock1.denselayer1.conv1.weight", "features.denseblock1.denselayer6.conv2.weight",
      "features.transition1.norm.running_mean", "features.transition1.conv.weight", "features.denseblock3.denselayer24.norm2.bias", "features.norm5.weight", "classifier.weight"]) {
      assert.ok(k.includes(key), key);
    }
    assert.deepEqual(m.stateDict().get("features.denseblock4.denselayer16.norm1.weight")!.shape, [512 + 15 * 32]);
    assert.deepEqual(m.stateDict().get("classifier.weight")!.shape, [1000, 1024]);
  },
  googlenet(m: nn.Module): void {
    const k = keys(m);
    assert.equal(k.length, 344);
    for (const key of ["conv1.conv.weight", "conv1.bn.running_var", "conv3.conv.weight", "inception3a.branch1.conv.weight", "inception3a.branch2.1.bn.weight",
      "inception4e.branch3.0.conv.weight", "inception5b.branch4.1.conv.weight", "fc.weight", "fc.bias"]) {
      assert.ok(k.includes(key), key);
    }
    assert.deepEqual(m.stateDict().get("inception3a.branch3.1.conv.weight")!.shape, [32, 16, 3, 3], "torchvision's 3x3 in the '5x5' branch");
  },
  mobilenet(m: nn.Module): void {
    const sd = m.stateDict();
    assert.equal(sd.size, 164);
    assert.deepEqual(sd.get("features.0.0.weight")!.shape, [32, 3, 3, 3]);
    assert.deepEqual(sd.get("features.1.0.weight")!.shape, [32, 1, 3, 3], "depthwise: one filter per channel");
    assert.deepEqual(sd.get("features.1.3.weight")!.shape, [64, 32, 1, 1], "pointwise 1x1");
    assert.deepEqual(sd.get("features.13.4.running_var")!.shape, [1024]);
  },
  xception(m: nn.Module): void {
    const sd = m.stateDict();
    assert.equal(sd.size, 276);
    assert.deepEqual(sd.get("block1.skip.weight")!.shape, [128, 64, 1, 1]);
    assert.deepEqual(sd.get("block1.rep.0.depthwise.weight")!.shape, [64, 1, 3, 3], "block1 starts without a ReLU");
    assert.deepEqual(sd.get("block2.rep.1.pointwise.weight")!.shape, [256, 128, 1, 1]);
    assert.ok(!sd.has("block4.skip.weight"), "middle-flow blocks have an identity shortcut");
    assert.deepEqual(sd.get("block12.rep.4.pointwise.weight")!.shape, [1024, 728, 1, 1], "the exit block widens last");
    assert.deepEqual(sd.get("conv4.pointwise.weight")!.shape, [2048, 1536, 1, 1]);
    assert.deepEqual(sd.get("fc.weight")!.shape, [1000, 2048]);
  },
};

/**
 * One model built once per row (building the big models' weights dominates the time): its published
 * parameter count with 1000 classes, then a forward pass on a small batch.
 */
const ZOO_CASES: [string, models.AnyModelSpec, number, number[], ((m: nn.Module) => void)?][] = [
  ["torchvision AlexNet (adaptive pool: 64x64 input)", { name: "alexnet" }, 61_100_840, [2, 3, 64, 64], KEYS.alexnet],
  ["AlexNet two-tower (2012, 227x227 input)", { name: "alexnet-two-tower" }, 60_965_224, [1, 3, 227, 227], KEYS.alexnetTwoTower],
  ["ResNet-18", { name: "resnet18" }, 11_689_512, [2, 3, 32, 32], KEYS.resnet18],
  ["ResNet-34", { name: "resnet34" }, 21_797_672, [2, 3, 32, 32]],
  ["ResNet-50", { name: "resnet50" }, 25_557_032, [2, 3, 32, 32], KEYS.resnet50],
  ["ResNet-101", { name: "resnet101" }, 44_549_160, [1, 3, 32, 32]],
  ["ResNet-152", { name: "resnet152" }, 60_192_808, [1, 3, 32, 32]],
  ["ZFNet (adaptive pool: 64x64 input)", { name: "zfnet" }, 62_357_608, [1, 3, 64, 64], KEYS.zfnet],
  ["DenseNet-121", { name: "densenet121" }, 7_978_856, [2, 3, 32, 32], KEYS.densenet121],
  ["GoogLeNet (no aux heads)", { name: "googlenet" }, 6_624_904, [2, 3, 32, 32], KEYS.googlenet],
  ["MobileNet v1", { name: "mobilenet-v1" }, 4_231_976, [2, 3, 32, 32], KEYS.mobilenet],
  ["Xception (64x64 input)", { name: "xception" }, 22_855_952, [1, 3, 64, 64], KEYS.xception],
];

describe("zoo: published parameter counts, state-dict keys and a forward pass giving [N, 1000]", () => {
  for (const [label, spec, count, input, checkKeys] of ZOO_CASES) {
    test(`${label}: ${count.toLocaleString("en-US")} parameters; forward [${input}]${checkKeys ? "; state-dict keys" : ""}`, () => {
      withModel(() => models.createModel(spec), (m) => {
        assert.equal(m.numParameters(), count);
        checkKeys?.(m);
        forwardShape(m, input, 1000);
      });
    });
  }
});

describe("zoo: numClasses and inChannels", () => {
  test("change only the first layer and the head", () => {
    // ResNet-18: conv1 loses 2·64·49 weights, fc goes 512·1000+1000 → 512·10+10.
    withModel(() => new models.ResNet({ depth: 18, numClasses: 10, inChannels: 1 }), (m) => {
      assert.equal(m.numParameters(), 11_689_512 - 2 * 64 * 49 - 513 * 990);
      forwardShape(m, [2, 1, 32, 32], 10);
    });
    // Two-tower AlexNet, 1 channel and 7 classes: conv1 loses 2·96·121, fc8 4097·993.
    withModel(() => new models.AlexNetTwoTower({ numClasses: 7, inChannels: 1 }), (m) => {
      assert.equal(m.numParameters(), 60_965_224 - 2 * 96 * 121 - 4097 * 993);
      forwardShape(m, [1, 1, 227, 227], 7);
    });
  });
});

describe("zoo: the lectures' small networks", () => {
  test("deep MLPs of the MNIST table: 2500-2000-1500-1000-500-10", () => {
    withModel(() => models.createModel({ name: "mlp-deep" }), (m) => {
      // 784·2500+2500 + 2500·2000+2000 + 2000·1500+1500 + 1500·1000+1000 + 1000·500+500 + 500·10+10
      assert.equal(m.numParameters(), 11_972_510);
      assert.deepEqual(keys(m), [0, 1, 2, 3, 4, 5].flatMap((i) => [`layers.${i}.weight`, `layers.${i}.bias`]));
      forwardShape(m, [2, 784], 10);
    });
    // Cireşan et al. 2010 fed 29x29 images: their "12.11M weights".
    withModel(() => models.deepMLP({ inputSize: 841 }), (m) => assert.equal(m.numParameters(), 12_115_010));
    withModel(() => models.deepMLP({ layers: "500-500-500-500-500-10" }), (m) => assert.equal(m.numParameters(), 785 * 500 + 4 * 501 * 500 + 501 * 10));
    assert.equal(models.DEEP_MLP_TABLE.length, 12);
    assert.throws(() => models.deepMLP({ layers: "2500-x-10" }), (e: Error) => e instanceof ValueError && /positive integer widths/.test(e.message));
  });
  test("8-3-8 autoencoder: 59 parameters, 3-unit code, 8 sigmoid outputs", () => {
    withModel(() => models.createModel({ name: "autoencoder-8-3-8" }), (m) => {
      assert.equal(m.numParameters(), 59);
      assert.deepEqual(keys(m), ["encoder.0.weight", "encoder.0.bias", "decoder.0.weight", "decoder.0.bias"]);
      forwardShape(m, [8, 8], 8);
      const code = noGrad(() => (m as models.Autoencoder).encode(randn([8, 8])));
      assert.deepEqual(code.shape, [8, 3]);
      assert.ok((code.toArray() as number[][]).flat().every((v) => v > 0 && v < 1), "sigmoid code in (0, 1)");
    });
  });
});

describe("zoo: the registry rebuilds saved models", () => {
  test("MobileNet v1 (10 classes, 1 channel) through io.saveModel / io.loadModel gives the same outputs", () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-zoo-"));
    try {
      withModel(() => models.createModel({ name: "mobilenet-v1", options: { numClasses: 10, inChannels: 1 } }), (m) => {
        m.eval();
        const spec = { name: "mobilenet-v1", options: { numClasses: 10, inChannels: 1 } } as const;
        io.saveModel(dir, m, spec);
        const { model: back, spec: read } = io.loadModel(dir);
        assert.deepEqual(read, spec);
        assert.ok(back instanceof models.MobileNetV1);
        back.eval();
        const x = randn([2, 1, 32, 32]);
        const [a, b] = noGrad(() => [m.forward(x).toArray(), back.forward(x).toArray()]);
        assert.deepEqual(b, a);
        dispose(back);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test("MODEL_NAMES lists all 25 models; the ones not built above (mlp, lenet5) still build", () => {
    // The big ones are built in the tables above; here the cheap ones, to cover the whole list.
    const built = new Set(["alexnet", "alexnet-two-tower", "zfnet", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "densenet121", "googlenet",
      "mobilenet-v1", "xception", "mlp-deep", "autoencoder-8-3-8",
      "charrnn"]); // charrnn needs a vocabulary: test/models/charrnn.test.ts
    for (const name of models.MODEL_NAMES) {
      if (built.has(name) || name.startsWith("vgg")) continue; // VGG: zoo-vgg.test.ts
      withModel(() => models.createModel({ name } as models.AnyModelSpec), (m) => assert.ok(m.numParameters() > 0, name));
    }
    assert.equal(models.MODEL_NAMES.length, 25);
  });
});

describe("zoo: bad configurations", () => {
  test("unknown VGG config, ResNet depth and model name throw ValueError", () => {
    assert.throws(() => new models.VGG({ config: "C" as "A" }), (e: Error) => e instanceof ValueError && /config must be one of A, B, D, E/.test(e.message));
    assert.throws(() => new models.ResNet({ depth: 20 as 18 }), (e: Error) => e instanceof ValueError && /depth must be one of/.test(e.message));
    assert.throws(() => models.createModel({ name: "resnet9" } as unknown as models.AnyModelSpec), /unknown model 'resnet9'/);
  });
});
