/** Tessera's side of the benchmark: the four workloads of the issue tracker's speed table. */
import * as ts from "../src/index.js";
import { measure, type Rate } from "./measure.js";
import { releaseAll, runConvBench } from "./conv.js";

export interface Workloads {
  lenetTrain64: Rate;
  lenetInfer1000: Rate;
  mlpTrain10: Rate;
  matmul1024: Rate;
  /** Convolution layers, forward + backward, batch 8 (see conv.ts); absent for peers without them. */
  alexnetConv1?: Rate;
  conv3x3x64?: Rate;
}

/** Batches kept for reuse across the measurement (outside any scope, so nothing releases them). */
function mnistBatches(count: number, batch: number, flatten: boolean): [ts.Tensor, ts.Tensor][] {
  const set = ts.data.mnist({ split: "train", limit: count * batch, normalize: !flatten, flatten });
  const out: [ts.Tensor, ts.Tensor][] = [];
  for (let i = 0; i < count; i++) {
    const [x, y] = set.getBatch(Int32Array.from({ length: batch }, (_, j) => i * batch + j));
    out.push([x.keep(), y.keep()]);
  }
  return out;
}

/**
 * Each step in a memory scope, as the library's own loops do (a no-op on the cpu backend). The
 * step's result is dropped, not returned: a scope keeps what it returns, and a kept 4 MB product
 * per step made every step allocate fresh memory and fault its pages in.
 */
function scoped(step: () => unknown): () => void {
  return () => {
    ts.scope(() => {
      step();
    });
  };
}

export function runTessera(budget: number): Workloads {
  ts.manualSeed(0);
  const lenet = new ts.models.LeNet5();
  const sgd = new ts.optim.SGD(lenet.parameters(), { lr: 0.01, momentum: 0.9 });
  const batches64 = mnistBatches(20, 64, false);
  let i = 0;
  const lenetTrain64 = measure(scoped(() => {
    const [x, y] = batches64[i++ % batches64.length];
    sgd.zeroGrad();
    ts.nn.crossEntropy(lenet.forward(x), y).backward();
    sgd.step();
  }), 64, budget);

  const [x1000] = mnistBatches(1, 1000, false)[0];
  lenet.eval();
  const lenetInfer1000 = measure(scoped(() => ts.noGrad(() => lenet.forward(x1000).argmax(1))), 1000, budget);

  const mlp = new ts.models.MLP();
  const mlpSgd = new ts.optim.SGD(mlp.parameters(), { lr: 3.0 });
  const batches10 = mnistBatches(500, 10, true);
  i = 0;
  const mlpTrain10 = measure(scoped(() => {
    const [x, y] = batches10[i++ % batches10.length];
    mlpSgd.zeroGrad();
    ts.nn.mseLoss(mlp.forward(x), ts.nn.oneHot(y, 10), { reduction: "batchmean", half: true }).backward();
    mlpSgd.step();
  }), 10, budget);

  const a = ts.randn([1024, 1024]);
  const b = ts.randn([1024, 1024]);
  const matmul1024 = measure(scoped(() => ts.matmul(a, b)), 2 * 1024 ** 3, budget, 1);
  const params = [lenet, mlp].flatMap((m) => m.parameters().flatMap((p) => [p, p.grad]));
  releaseAll([...batches64.flat(), x1000, ...batches10.flat(), a, b, ...params]);
  const [alexnetConv1, conv3x3x64] = runConvBench(budget).map((r) => r.rate);
  return { lenetTrain64, lenetInfer1000, mlpTrain10, matmul1024, alexnetConv1, conv3x3x64 };
}
