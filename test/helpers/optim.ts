/**
 * The optimizer fixtures (test/fixtures/optim.json, made by tools/fixtures_optim.py) and the
 * small model they train: Linear(4,3) → Tanh → Linear(3,2) with an MSE loss, in float64.
 */
import assert from "node:assert/strict";

import { nn, optim, Tensor } from "../../src/index.js";
import { assertClose, fixtureTensor, loadFixture, type FixtureTensor } from "./fixtures.js";

export type OptimizerName = "Adagrad" | "Adadelta" | "RMSprop" | "Adam" | "AdamW" | "Adamax" | "NAdam";
export type Options = Record<string, number | boolean | number[]>;

export interface TrajectoryCase {
  kind: "trajectory";
  name: string;
  optimizer: OptimizerName;
  options: Options;
  groups?: { params: string[]; options: Options }[];
  input: FixtureTensor;
  target: FixtureTensor;
  initial: Record<string, FixtureTensor>;
  steps: { loss: number; params: Record<string, FixtureTensor> }[];
  state: Record<string, Record<string, number | FixtureTensor>>;
}

export interface ClipNormCase {
  kind: "clipGradNorm";
  name: string;
  args: { maxNorm: number; normType: number | "inf" };
  grads: FixtureTensor[];
  totalNorm: number;
  clipped: FixtureTensor[];
}

export interface ClipValueCase {
  kind: "clipGradValue";
  name: string;
  args: { clipValue: number };
  grads: FixtureTensor[];
  clipped: FixtureTensor[];
}

export type OptimCase = TrajectoryCase | ClipNormCase | ClipValueCase;

/** The fixtures hold 12 significant digits (relative rounding up to 5e-12); measured worst 6e-12. */
export const TOL = { rtol: 2e-11, atol: 1e-14 };
export const KEYS = ["0.weight", "0.bias", "2.weight", "2.bias"];

const all = loadFixture<OptimCase>("optim").cases;
export const trajectories = all.filter((c): c is TrajectoryCase => c.kind === "trajectory");
export const clipNormCases = all.filter((c): c is ClipNormCase => c.kind === "clipGradNorm");
export const clipValueCases = all.filter((c): c is ClipValueCase => c.kind === "clipGradValue");

export const OPTIMIZERS = {
  Adagrad: optim.Adagrad,
  Adadelta: optim.Adadelta,
  RMSprop: optim.RMSprop,
  Adam: optim.Adam,
  AdamW: optim.AdamW,
  Adamax: optim.Adamax,
  NAdam: optim.NAdam,
} as const;

/** Any of the adaptive optimizers, seen through the base class. */
export type AnyOptimizer = optim.Optimizer<optim.Hyper>;

/** Linear(4,3) → Tanh → Linear(3,2) holding the fixture's initial float64 parameters. */
export function buildModel(initial: Record<string, FixtureTensor>): nn.Sequential {
  const first = new nn.Linear(4, 3);
  const second = new nn.Linear(3, 2);
  first.weight = new nn.Parameter(fixtureTensor(initial["0.weight"]));
  first.bias = new nn.Parameter(fixtureTensor(initial["0.bias"]));
  second.weight = new nn.Parameter(fixtureTensor(initial["2.weight"]));
  second.bias = new nn.Parameter(fixtureTensor(initial["2.bias"]));
  const model = new nn.Sequential(first, new nn.Tanh(), second);
  assert.deepEqual(model.namedParameters().map(([k]) => k), KEYS);
  return model;
}

/** The case's optimizer over the model, with the case's groups when it has them. */
export function makeOptimizer(c: TrajectoryCase, model: nn.Module, overrides: Options = {}): AnyOptimizer {
  const Cls = OPTIMIZERS[c.optimizer] as unknown as new (params: unknown, options: Options) => AnyOptimizer;
  if (!c.groups) return new Cls(model.parameters(), { ...c.options, ...overrides });
  const named = new Map(model.namedParameters());
  const groups = c.groups.map((g) => ({ params: g.params.map((k) => named.get(k)!), options: g.options }));
  return new Cls(groups, { ...c.options, ...overrides });
}

/** One training step; returns the loss computed before the update. */
export function trainStep(model: nn.Module, opt: { zeroGrad(): void; step(): void }, x: Tensor, y: Tensor): number {
  opt.zeroGrad();
  const loss = nn.mseLoss(model.forward(x), y);
  loss.backward();
  opt.step();
  return loss.item();
}

export function assertParams(model: nn.Module, expected: Record<string, FixtureTensor>, label: string): void {
  const sd = model.stateDict();
  assert.deepEqual([...sd.keys()], Object.keys(expected), `${label}: keys`);
  for (const [k, t] of sd) assertClose(t, expected[k], TOL, `${label} ${k}`);
}

export function assertNumber(actual: number, expected: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= TOL.atol + TOL.rtol * Math.abs(expected), `${label}: ${actual}, expected ${expected}`);
}

/** Every parameter's values, for bit-for-bit comparisons. */
export function snapshot(model: nn.Module): Map<string, number[]> {
  return new Map([...model.stateDict()].map(([k, t]) => [k, [...t.data()]]));
}
