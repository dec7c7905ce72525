/**
 * Transfer learning: freeze / unfreeze (no gradients, no updates in any optimizer, counted out of
 * the trainable parameters), getSubmodule / setSubmodule (a new head under the old name, in every
 * kind of container), and featureExtractor (a model cut at a layer equals running its prefix by
 * hand), with the error messages of bad paths.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { nn, optim, models, Tensor, tensor, randn, manualSeed, ValueError, TesseraError } from "../../src/index.js";

const snapshot = (ps: Tensor[]): Float64Array[] => ps.map((p) => Float64Array.from(p.data()));
const sameBits = (a: Float64Array, b: ArrayLike<number>): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

function closeTo(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-6): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `[${i}]: ${actual[i]} vs ${expected[i]}`);
}

/** A small classifier: features (Linear 4→8, ReLU) and a head (Linear 8→3). */
function smallNet(): nn.Sequential {
  manualSeed(3);
  return new nn.Sequential({ features: new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU()), head: new nn.Linear(8, 3) });
}

function lossOf(model: nn.Module): Tensor {
  const x = tensor(Array.from({ length: 20 }, (_, i) => Math.sin(i)), { shape: [5, 4] });
  return nn.crossEntropy(model.forward(x), tensor([0, 1, 2, 1, 0], { dtype: "int32" }));
}

/** Every optimizer, with momentum / weight decay where it has them (decay would move a param even at grad 0). */
const OPTIMIZERS: [string, (ps: Tensor[]) => { zeroGrad(): void; step(): void }][] = [
  ["SGD", (ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9, weightDecay: 0.01 })],
  ["Adam", (ps) => new optim.Adam(ps, { lr: 0.01, weightDecay: 0.01 })],
  ["AdamW", (ps) => new optim.AdamW(ps, { lr: 0.01 })],
  ["Adamax", (ps) => new optim.Adamax(ps, { lr: 0.01, weightDecay: 0.01 })],
  ["NAdam", (ps) => new optim.NAdam(ps, { lr: 0.01, weightDecay: 0.01 })],
  ["RMSprop", (ps) => new optim.RMSprop(ps, { lr: 0.01, momentum: 0.5, weightDecay: 0.01 })],
  ["Adagrad", (ps) => new optim.Adagrad(ps, { lr: 0.1, weightDecay: 0.01 })],
  ["Adadelta", (ps) => new optim.Adadelta(ps, { weightDecay: 0.01 })],
];

describe("freeze / unfreeze", () => {
  for (const [name, make] of OPTIMIZERS) {
    test(`${name} leaves frozen parameters bit-identical and trains the head (optimizer built with ALL parameters)`, () => {
      const model = smallNet();
      const features = model.getSubmodule("features");
      assert.equal(features.freeze(), features, "freeze returns the module");
      const opt = make(model.parameters()); // frozen ones included on purpose: they must be skipped
      const frozenBefore = snapshot(features.parameters());
      const headBefore = snapshot(model.getSubmodule("head").parameters());
      for (let i = 0; i < 3; i++) {
        opt.zeroGrad();
        lossOf(model).backward();
        for (const p of features.parameters()) assert.equal(p.grad, null, "a frozen parameter gets no gradient");
        opt.step();
      }
      features.parameters().forEach((p, i) => assert.ok(sameBits(frozenBefore[i], p.data()), `frozen parameter ${i} changed`));
      model.getSubmodule("head").parameters().forEach((p, i) => assert.ok(!sameBits(headBefore[i], p.data()), `head parameter ${i} did not change`));
    });
  }

  test("unfreeze restores gradients and updates; requiresGrad_ and trainableParameters follow", () => {
    const model = smallNet();
    model.getSubmodule("features").freeze();
    assert.deepEqual(model.trainableParameters(), model.getSubmodule("head").parameters());
    assert.equal(model.getSubmodule("features").unfreeze(), model.getSubmodule("features"));
    assert.equal(model.trainableParameters().length, 4);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const before = snapshot(model.parameters());
    opt.zeroGrad();
    lossOf(model).backward();
    for (const p of model.parameters()) assert.ok(p.grad !== null);
    opt.step();
    model.parameters().forEach((p, i) => assert.ok(!sameBits(before[i], p.data()), `parameter ${i} did not change after unfreeze`));
    model.requiresGrad_(false);
    assert.equal(model.trainableParameters().length, 0);
    model.requiresGrad_();
    assert.equal(model.trainableParameters().length, 4);
  });

  test("numParameters({ trainableOnly }) counts only unfrozen parameters", () => {
    const model = smallNet(); // 4·8 + 8 = 40 features, 8·3 + 3 = 27 head
    assert.equal(model.numParameters(), 67);
    model.getSubmodule("features").freeze();
    assert.equal(model.numParameters(), 67);
    assert.equal(model.numParameters({ trainableOnly: true }), 27);
    model.freeze();
    assert.equal(model.numParameters({ trainableOnly: true }), 0);
    model.unfreeze();
    assert.equal(model.numParameters({ trainableOnly: true }), 67);
  });

  test("freeze drops gradients already accumulated, so a later step cannot apply them", () => {
    const model = smallNet();
    lossOf(model).backward();
    assert.ok(model.parameters().every((p) => p.grad !== null));
    model.getSubmodule("features").freeze();
    assert.ok(model.getSubmodule("features").parameters().every((p) => p.grad === null));
    assert.ok(model.getSubmodule("head").parameters().every((p) => p.grad !== null));
  });
});

describe("getSubmodule / setSubmodule", () => {
  test("replacing LeNet-5's head: new keys and shapes in the state dict, the rest untouched", () => {
    manualSeed(0);
    const lenet = new models.LeNet5();
    const keysBefore = [...lenet.stateDict().keys()];
    const conv = lenet.getSubmodule("features.0");
    assert.ok(conv instanceof nn.Conv2d);
    const head = new nn.Linear(84, 5);
    assert.equal(lenet.setSubmodule("classifier.5", head), lenet);
    assert.equal(lenet.getSubmodule("classifier.5"), head);
    const state = lenet.stateDict();
    assert.deepEqual([...state.keys()], keysBefore, "same keys, same order");
    assert.deepEqual(state.get("classifier.5.weight")!.shape, [5, 84]);
    assert.deepEqual(state.get("classifier.5.bias")!.shape, [5]);
    assert.equal(state.get("classifier.5.weight"), head.weight);
    assert.equal(lenet.getSubmodule("features.0"), conv);
    assert.deepEqual(lenet.forward(randn([2, 1, 28, 28])).shape, [2, 5]);
    assert.equal(lenet.numParameters(), 61706 - 850 + 425);
  });

  test("works for plain properties, array properties, ModuleList and ModuleDict children", () => {
    class Net extends nn.Module {
      encoder = new nn.Linear(2, 2);
      blocks = [new nn.Linear(2, 2), new nn.Linear(2, 2)];
      list = new nn.ModuleList([new nn.ReLU(), new nn.Linear(2, 2)]);
      heads = new nn.ModuleDict({ cls: new nn.Linear(2, 3) });
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const net = new Net();
    const a = new nn.Linear(2, 4);
    const b = new nn.Linear(2, 5);
    const c = new nn.Linear(2, 6);
    const d = new nn.Linear(2, 7);
    net.setSubmodule("encoder", a).setSubmodule("blocks.1", b).setSubmodule("list.1", c).setSubmodule("heads.cls", d);
    assert.equal(net.encoder, a);
    assert.equal(net.blocks[1], b);
    assert.equal(net.list.get(1), c);
    assert.equal(net.heads.get("cls"), d);
    const shapes = Object.fromEntries([...net.stateDict()].map(([k, t]) => [k, t.shape]));
    assert.deepEqual(shapes["encoder.weight"], [4, 2]);
    assert.deepEqual(shapes["blocks.1.weight"], [5, 2]);
    assert.deepEqual(shapes["list.1.weight"], [6, 2]);
    assert.deepEqual(shapes["heads.cls.weight"], [7, 2]);
    assert.equal(net.getSubmodule("blocks.0"), net.blocks[0]);
    assert.equal(net.getSubmodule(""), net);
  });

  test("a bad path names the path, where it stopped, and the children available there", () => {
    const lenet = new models.LeNet5();
    assert.throws(() => lenet.getSubmodule("classifer.6"), (e: Error) => e instanceof ValueError && /no submodule 'classifer\.6'/.test(e.message) && /children: features, classifier/.test(e.message));
    assert.throws(() => lenet.getSubmodule("classifier.6"), (e: Error) => /'classifier' \(Sequential\) has no child '6'/.test(e.message) && /children: 0, 1, 2, 3, 4, 5\)/.test(e.message));
    assert.throws(() => lenet.setSubmodule("features.0.weight", new nn.ReLU()), (e: Error) => /no submodule 'features\.0\.weight'/.test(e.message) && /'features\.0' \(Conv2d\) has no child 'weight' \(children: none\)/.test(e.message));
    assert.throws(() => lenet.setSubmodule("head", new nn.ReLU()), (e: Error) => /no submodule 'head'/.test(e.message) && /children: features, classifier/.test(e.message));
    assert.throws(() => lenet.setSubmodule("", new nn.ReLU()), /path is empty/);
    assert.throws(() => lenet.setSubmodule("classifier.5", null as unknown as nn.Module), /expected a Module, got null/);
  });
});

describe("featureExtractor", () => {
  test("LeNet-5 cut at classifier.4 equals running the prefix by hand: [batch, 84]", () => {
    manualSeed(1);
    const lenet = new models.LeNet5();
    const x = randn([3, 1, 28, 28]);
    const extractor = nn.featureExtractor(lenet, "classifier.4");
    const feats = extractor.forward(x);
    assert.deepEqual(feats.shape, [3, 84]);
    let byHand = lenet.getSubmodule("features").forward(x);
    for (let i = 0; i <= 4; i++) byHand = lenet.getSubmodule(`classifier.${i}`).forward(byHand);
    closeTo(feats.data(), byHand.data(), 0);
    assert.ok(feats.data().some((v) => v > 0), "some features are non-zero");
    assert.ok(!Object.prototype.hasOwnProperty.call(lenet.getSubmodule("classifier.4"), "forward"), "the layer's forward is restored");
    closeTo(lenet.forward(x).data(), lenet.getSubmodule("classifier.5").forward(byHand).data(), 1e-6);
  });

  test("shares the model's parameters and keys; flatten; gradients reach the model", () => {
    manualSeed(2);
    const lenet = new models.LeNet5();
    const extractor = nn.featureExtractor(lenet, "features", { flatten: true });
    assert.deepEqual([...extractor.stateDict().keys()], [...lenet.stateDict().keys()]);
    assert.deepEqual(extractor.parameters(), lenet.parameters());
    const x = randn([2, 1, 28, 28]);
    const f = extractor.forward(x);
    assert.deepEqual(f.shape, [2, 400]);
    f.sum().backward();
    assert.ok(lenet.getSubmodule("features.0").parameters().every((p) => p.grad !== null));
    assert.ok(lenet.getSubmodule("classifier.1").parameters().every((p) => p.grad === null), "layers after the cut never ran");
    extractor.eval();
    assert.equal(lenet.training, false);
    assert.equal(lenet.getSubmodule("features.0").training, false);
  });

  test("works through a custom forward (the autoencoder's code) ", () => {
    manualSeed(4);
    const ae = new models.Autoencoder();
    const x = tensor([[1, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0, 0]]);
    const code = nn.featureExtractor(ae, "encoder.1").forward(x);
    assert.deepEqual(code.shape, [2, 3]);
    closeTo(code.data(), ae.encode(x).data(), 0);
  });

  test("bad paths and layers the forward never calls are errors naming them", () => {
    const lenet = new models.LeNet5();
    assert.throws(() => nn.featureExtractor(lenet, "classifier.7"), (e: Error) => /no submodule 'classifier\.7'/.test(e.message) && /children: 0, 1, 2, 3, 4, 5/.test(e.message));
    assert.throws(() => nn.featureExtractor(lenet, ""), /path is empty.*children: features, classifier/);
    class Skips extends nn.Module {
      used = new nn.Linear(2, 2);
      unused = new nn.Linear(2, 2);
      forward(x: Tensor): Tensor {
        return this.used.forward(x);
      }
    }
    const m = new Skips();
    assert.throws(() => nn.featureExtractor(m, "unused").forward(tensor([[1, 2]])), (e: Error) => e instanceof TesseraError && /never called 'unused' \(Linear\)/.test(e.message));
    assert.ok(!Object.prototype.hasOwnProperty.call(m.unused, "forward"), "restored after the error too");
  });
});
