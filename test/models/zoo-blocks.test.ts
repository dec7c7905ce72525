/**
 * The zoo's building blocks against PyTorch (test/fixtures/zoo.json, tools/fixtures_zoo.py):
 * ResNet basic and bottleneck blocks (with and without a downsample shortcut), an Inception
 * module, Xception entry/middle/exit blocks and a tiny DenseNet, in eval mode with randomised
 * BatchNorm statistics. Each case's state dict is PyTorch's, loaded strictly by key — so this
 * also checks that the module names are torchvision's.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { models, nn, noGrad, scope } from "../../src/index.js";
import { loadFixture, fixtureTensor, assertClose, type FixtureTensor } from "../helpers/fixtures.js";

interface ZooCase {
  name: string;
  kind: "BasicBlock" | "Bottleneck" | "Inception" | "XceptionBlock" | "DenseNet";
  args: unknown;
  state: Record<string, FixtureTensor>;
  input: FixtureTensor;
  output: FixtureTensor;
}

function build(c: ZooCase): nn.Module {
  const a = c.args as number[];
  switch (c.kind) {
    case "BasicBlock":
    case "Bottleneck": {
      const [inplanes, planes, stride] = a;
      const Block = c.kind === "BasicBlock" ? models.BasicBlock : models.Bottleneck;
      const out = planes * Block.expansion;
      const down = stride !== 1 || inplanes !== out ? new nn.Sequential(new nn.Conv2d(inplanes, out, 1, { stride, bias: false }), new nn.BatchNorm2d(out)) : null;
      return new Block(inplanes, planes, stride, down);
    }
    case "Inception":
      return new models.Inception(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    case "XceptionBlock": {
      const [i, o, reps, stride, startWithRelu, growFirst] = c.args as [number, number, number, number, boolean, boolean];
      return new models.XceptionBlock(i, o, reps, stride, startWithRelu, growFirst);
    }
    case "DenseNet":
      return new models.DenseNet(c.args as models.DenseNetOptions);
  }
}

describe("zoo blocks match PyTorch (eval mode, PyTorch's state dict loaded by key)", () => {
  for (const c of loadFixture<ZooCase>("zoo.json").cases) {
    test(`${c.kind} ${c.name}`, () => {
      scope(() => {
        const m = build(c);
        const state = new Map(Object.entries(c.state).map(([k, t]) => [k, fixtureTensor(t)]));
        // PyTorch's keys minus num_batches_tracked (a counter, not needed in eval mode).
        const own = [...m.stateDict().keys()].filter((k) => !k.endsWith("num_batches_tracked"));
        assert.deepEqual(own, [...state.keys()], "same keys in the same order");
        m.loadStateDict(state, { strict: false });
        m.eval();
        const y = noGrad(() => m.forward(fixtureTensor(c.input).to("float32")));
        assertClose(y, c.output, { atol: 1e-4, rtol: 1e-4 }, c.name);
      });
    });
  }
});
