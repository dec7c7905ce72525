/**
 * Residual and Inception-style blocks built only from public bricks (Conv2d, ReLU, MaxPool2d,
 * Sequential, ModuleList, cat, add): the branch-and-merge structures of ResNet and GoogLeNet work
 * with autograd. Output shapes, parameter counts, state-dict keys, a hand check of the identity
 * shortcut, and float64 gradchecks of tiny versions.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, cat, add, randn, manualSeed, gradcheck, type Tensor } from "../../src/index.js";
import { f64, rand64 } from "../helpers/tensors.js";

/** ResNet's basic block: relu(conv-relu-conv(x) + shortcut(x)); a 1x1 conv shortcut when the shape changes. */
class BasicBlock extends nn.Module {
  conv1: nn.Conv2d;
  relu = new nn.ReLU();
  conv2: nn.Conv2d;
  shortcut: nn.Module;

  constructor(inChannels: number, outChannels: number, stride = 1) {
    super();
    this.conv1 = new nn.Conv2d(inChannels, outChannels, 3, { stride, padding: 1, bias: false });
    this.conv2 = new nn.Conv2d(outChannels, outChannels, 3, { padding: 1, bias: false });
    this.shortcut = stride !== 1 || inChannels !== outChannels ? new nn.Conv2d(inChannels, outChannels, 1, { stride, bias: false }) : new nn.Identity();
  }

  forward(x: Tensor): Tensor {
    const residual = this.conv2.forward(this.relu.forward(this.conv1.forward(x)));
    return this.relu.forward(add(residual, this.shortcut.forward(x)));
  }
}

/** GoogLeNet's Inception module: four parallel branches concatenated along channels. */
class Inception extends nn.Module {
  branches: nn.ModuleList;

  constructor(inC: number, c1: number, c3r: number, c3: number, c5r: number, c5: number, pool: number) {
    super();
    this.branches = new nn.ModuleList([
      new nn.Sequential(new nn.Conv2d(inC, c1, 1), new nn.ReLU()),
      new nn.Sequential(new nn.Conv2d(inC, c3r, 1), new nn.ReLU(), new nn.Conv2d(c3r, c3, 3, { padding: 1 }), new nn.ReLU()),
      new nn.Sequential(new nn.Conv2d(inC, c5r, 1), new nn.ReLU(), new nn.Conv2d(c5r, c5, 5, { padding: 2 }), new nn.ReLU()),
      new nn.Sequential(new nn.MaxPool2d(3, { stride: 1, padding: 1 }), new nn.Conv2d(inC, pool, 1), new nn.ReLU()),
    ]);
  }

  forward(x: Tensor): Tensor {
    return cat([...this.branches].map((b) => b.forward(x)), 1);
  }
}

/** Makes every parameter float64 (for gradcheck). */
function double_(m: nn.Module): void {
  for (const mod of m.modules()) {
    for (const [key, value] of Object.entries(mod)) {
      if (value instanceof nn.Parameter) (mod as unknown as Record<string, unknown>)[key] = new nn.Parameter(value.double());
    }
  }
}

describe("ResNet basic block", () => {
  test("shapes with and without a projection shortcut; parameter count", () => {
    manualSeed(1);
    const same = new BasicBlock(8, 8);
    assert.deepEqual([...same.forward(randn([2, 8, 9, 9])).shape], [2, 8, 9, 9]);
    assert.equal(same.numParameters(), 2 * 8 * 8 * 9);
    const down = new BasicBlock(8, 16, 2);
    assert.deepEqual([...down.forward(randn([2, 8, 9, 9])).shape], [2, 16, 5, 5]);
    assert.equal(down.numParameters(), 8 * 16 * 9 + 16 * 16 * 9 + 8 * 16);
    assert.deepEqual([...down.stateDict().keys()], ["conv1.weight", "conv2.weight", "shortcut.weight"]);
  });

  test("with zero convolutions the block is relu(x): the shortcut carries value and gradient", () => {
    const block = new BasicBlock(2, 2);
    block.conv1.weight.copy_(block.conv1.weight.mul(0));
    block.conv2.weight.copy_(block.conv2.weight.mul(0));
    const x = randn([1, 2, 3, 3]).requiresGrad_();
    const y = block.forward(x);
    assert.deepEqual([...y.data()], [...x.data()].map((v) => Math.max(v, 0)));
    y.sum().backward();
    assert.deepEqual([...x.grad!.data()], [...x.data()].map((v) => (v > 0 ? 1 : 0)));
  });

  test("gradcheck of a tiny block (input and a weight), float64", () => {
    manualSeed(2);
    const block = new BasicBlock(2, 3, 2);
    double_(block);
    const x = rand64([1, 2, 4, 4]);
    assert.ok(gradcheck((t) => block.forward(t), [x]));
    const w = f64([...block.conv2.weight.data()], [...block.conv2.weight.shape], true);
    const fixed = rand64([1, 2, 4, 4], { requiresGrad: false });
    assert.ok(
      gradcheck((ww) => {
        block.conv2.weight = ww as nn.Parameter; // the block reads its weight at forward time
        return block.forward(fixed);
      }, [w]),
    );
  });
});

describe("Inception block", () => {
  test("four branches concatenated on channels; keys through the ModuleList", () => {
    manualSeed(3);
    // GoogLeNet's inception (3a): 192 → 64 + 128 + 32 + 32 = 256 channels, spatial size kept
    const block = new Inception(192, 64, 96, 128, 16, 32, 32);
    assert.deepEqual([...block.forward(randn([1, 192, 7, 7])).shape], [1, 256, 7, 7]);
    const expected = 192 * 64 + 64 + (192 * 96 + 96) + (96 * 128 * 9 + 128) + (192 * 16 + 16) + (16 * 32 * 25 + 32) + (192 * 32 + 32);
    assert.equal(block.numParameters(), expected);
    const keys = [...block.stateDict().keys()];
    assert.deepEqual(keys.slice(0, 4), ["branches.0.0.weight", "branches.0.0.bias", "branches.1.0.weight", "branches.1.0.bias"]);
    assert.ok(keys.includes("branches.3.1.weight"), "the conv after the pool in branch 3");
  });

  test("gradients reach every branch, and gradcheck passes on a tiny block", () => {
    manualSeed(4);
    const block = new Inception(2, 1, 1, 2, 1, 1, 1);
    double_(block);
    const x = rand64([1, 2, 5, 5]);
    const y = block.forward(x);
    assert.deepEqual([...y.shape], [1, 5, 5, 5]);
    y.square().sum().backward();
    for (const [name, p] of block.namedParameters()) assert.ok(p.grad && p.grad.abs().sum().item() > 0, `${name} got a gradient`);
    assert.ok(gradcheck((t) => block.forward(t), [rand64([1, 2, 4, 4])]));
  });
});
