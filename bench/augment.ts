/**
 * Augmentation throughput on MNIST (28x28), single thread (augmentation runs on the calling
 * thread, whatever the backend's thread count). Two columns:
 *
 * - transform: images/s of `transform.applyBatch` alone, on 256 MNIST images in [0, 1];
 * - loader: images/s of a DataLoader (batch 256) over `mnist({ normalize: true, transform })`,
 *   which adds reading the bytes, normalising and making the batch tensor on the current backend.
 *
 * Not part of `npm run bench`; run with
 *
 *   npx tsc -p tsconfig.test.json && node build/bench/augment.js [--budget SECONDS]
 */
import { mnist } from "../src/data/mnist.js";
import { DataLoader } from "../src/data/dataloader.js";
import { Compose, ElasticDistortion, RandomAffine, RandomCrop, RandomHorizontalFlip, RandomRotation, type Transform } from "../src/data/transforms/index.js";
import { manualSeed } from "../src/random.js";

const BATCH = 256;
const at = process.argv.indexOf("--budget");
const budget = at >= 0 ? Number(process.argv[at + 1]) : 2;

const pipelines: [string, Transform | undefined][] = [
  ["no transform (bytes -> float32)", undefined],
  ["RandomHorizontalFlip(1)", new RandomHorizontalFlip(1)],
  ["RandomCrop(28, padding 2)", new RandomCrop(28, { padding: 2 })],
  ["RandomRotation(10)", new RandomRotation(10)],
  ["proposed: RandomAffine(10, translate 2px, scale 0.9-1.1)", new RandomAffine(10, { translate: [2 / 28, 2 / 28], scale: [0.9, 1.1] })],
  ["ElasticDistortion(34, 4)", new ElasticDistortion(34, 4)],
  ["proposed + ElasticDistortion(34, 4)", new Compose([new RandomAffine(10, { translate: [2 / 28, 2 / 28], scale: [0.9, 1.1] }), new ElasticDistortion(34, 4)])],
];

manualSeed(0);
const n = 10000;
const images = mnist({ limit: BATCH }).getBatch(Int32Array.from({ length: BATCH }, (_, i) => i))[0].data() as Float32Array;

/** Images per second of `step` (which handles `perStep` images), run for the budget. */
function rate(perStep: number, step: () => void): number {
  step(); // warm up
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < budget * 1000) {
    step();
    count += perStep;
  }
  return count / ((performance.now() - start) / 1000);
}

const fmt = (r: number): string => `${Math.round(r).toLocaleString("en-US").padStart(9)} img/s (${(1e6 / r).toFixed(1).padStart(5)} µs)`;
console.log(`${"pipeline".padEnd(58)} ${"transform".padEnd(26)} loader (batch ${BATCH})`);
for (const [name, transform] of pipelines) {
  const alone = transform ? fmt(rate(BATCH, () => transform.applyBatch(images, BATCH, [1, 28, 28]))) : "-".padEnd(26);
  const loader = new DataLoader(mnist({ limit: n, normalize: true, transform }), { batchSize: BATCH, shuffle: true });
  const loaded = rate(n, () => {
    for (const batch of loader) void batch;
  });
  console.log(`${name.padEnd(58)} ${alone.padEnd(26)} ${fmt(loaded)}`);
}
