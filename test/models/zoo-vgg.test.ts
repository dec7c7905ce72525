/**
 * The VGG family (configurations A, B, D, E of Simonyan & Zisserman's Table 1, with and without
 * batch norm): published parameter counts, torchvision's state-dict keys, a forward pass on
 * 1x3x32x32 (the adaptive 7x7 pool takes it). Its own file, so its 130M-parameter models get a
 * wasm heap of their own.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { models, nn, manualSeed } from "../../src/index.js";
import { withModel, forwardShape, keys } from "./zoo-helpers.js";

manualSeed(11);

/** State-dict keys against torchvision's vgg16 / vgg16_bn. */
const KEYS = {
  vgg16(m: nn.Module): void {
    const k = keys(m);
    assert.equal(k.length, 32);
    assert.deepEqual(k.slice(0, 4), ["features.0.weight", "features.0.bias", "features.2.weight", "features.2.bias"]);
    assert.deepEqual(k.slice(-6), ["classifier.0.weight", "classifier.0.bias", "classifier.3.weight", "classifier.3.bias", "classifier.6.weight", "classifier.6.bias"]);
    assert.ok(k.includes("features.28.weight"));
  },
  vgg16bn(m: nn.Module): void {
    const k = keys(m);
    assert.equal(k.length, 97);
    assert.deepEqual(k.slice(0, 7), ["features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked"]);
    assert.ok(k.includes("features.41.weight") && k.includes("features.41.running_var"));
  },
};

const CASES: [string, models.AnyModelSpec, number, ((m: nn.Module) => void)?][] = [
  ["VGG-11", { name: "vgg11" }, 132_863_336],
  ["VGG-11-BN", { name: "vgg11-bn" }, 132_868_840],
  ["VGG-13", { name: "vgg13" }, 133_047_848],
  ["VGG-13-BN", { name: "vgg13-bn" }, 133_053_736],
  ["VGG-16", { name: "vgg16" }, 138_357_544, KEYS.vgg16],
  ["VGG-16-BN", { name: "vgg16-bn" }, 138_365_992, KEYS.vgg16bn],
  ["VGG-19", { name: "vgg19" }, 143_667_240],
  ["VGG-19-BN", { name: "vgg19-bn" }, 143_678_248],
];

describe("zoo: VGG counts (torchvision's weight tables), keys and forward [1, 1000]", () => {
  for (const [label, spec, count, checkKeys] of CASES) {
    test(`${label}: ${count.toLocaleString("en-US")} parameters; forward [1,3,32,32]${checkKeys ? "; state-dict keys" : ""}`, () => {
      withModel(() => models.createModel(spec), (m) => {
        assert.equal(m.numParameters(), count);
        checkKeys?.(m);
        forwardShape(m, [1, 3, 32, 32], 1000);
      });
    });
  }
  test("numClasses: VGG-11 with 10 classes loses 4097·990 weights of the last layer", () => {
    withModel(() => new models.VGG({ config: "A", numClasses: 10, inChannels: 1 }), (m) => {
      assert.equal(m.numParameters(), 132_863_336 - 4097 * 990 - 2 * 64 * 9);
      forwardShape(m, [1, 1, 32, 32], 10);
    });
  });
});
