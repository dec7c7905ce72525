/**
 * TensorFlow.js (pure-JavaScript `cpu` backend, a dev dependency) on the same workloads, written
 * the way its docs do: tf.tidy around every step, optimizer.minimize for training.
 */
import * as tf from "@tensorflow/tfjs";
import { measure, type Rate } from "./measure.js";
import type { Workloads } from "./tessera.js";

function dense(inN: number, outN: number) {
  const bound = 1 / Math.sqrt(inN);
  return { w: tf.variable(tf.randomUniform([inN, outN], -bound, bound)), b: tf.variable(tf.zeros([outN])) };
}

function conv(k: number, inC: number, outC: number) {
  const bound = 1 / Math.sqrt(inC * k * k);
  return { w: tf.variable(tf.randomUniform([k, k, inC, outC], -bound, bound)), b: tf.variable(tf.zeros([outC])) };
}

export async function runTfjs(budget: number): Promise<Workloads> {
  await tf.setBackend("cpu");
  const c1 = conv(5, 1, 6), c2 = conv(5, 6, 16);
  const f1 = dense(400, 120), f2 = dense(120, 84), f3 = dense(84, 10);
  const lenet = (x: tf.Tensor4D) => {
    const conv1 = tf.relu(tf.add(tf.conv2d(x, c1.w as tf.Tensor4D, 1, [[0, 0], [2, 2], [2, 2], [0, 0]]), c1.b)) as tf.Tensor4D;
    const pool1 = tf.maxPool(conv1, 2, 2, "valid");
    const conv2 = tf.relu(tf.add(tf.conv2d(pool1, c2.w as tf.Tensor4D, 1, "valid"), c2.b)) as tf.Tensor4D;
    const h = tf.maxPool(conv2, 2, 2, "valid");
    const flat = tf.reshape(h, [x.shape[0], 400]) as tf.Tensor2D;
    const a = tf.relu(tf.add(tf.matMul(flat, f1.w as tf.Tensor2D), f1.b)) as tf.Tensor2D;
    const b = tf.relu(tf.add(tf.matMul(a, f2.w as tf.Tensor2D), f2.b)) as tf.Tensor2D;
    return tf.add(tf.matMul(b, f3.w as tf.Tensor2D), f3.b) as tf.Tensor2D;
  };
  const opt = tf.train.momentum(0.01, 0.9);
  const x64 = tf.randomNormal([64, 28, 28, 1]) as tf.Tensor4D;
  const y64 = tf.oneHot(tf.randomUniform([64], 0, 10, "int32") as tf.Tensor1D, 10);
  const lenetTrain64 = measure(() => {
    tf.tidy(() => {
      opt.minimize(() => tf.losses.softmaxCrossEntropy(y64, lenet(x64)) as tf.Scalar);
    });
  }, 64, budget, 1);
  const x1000 = tf.randomNormal([1000, 28, 28, 1]) as tf.Tensor4D;
  const lenetInfer1000 = measure(() => tf.tidy(() => void tf.argMax(lenet(x1000), 1).dataSync()), 1000, budget, 1);

  const m1 = { w: tf.variable(tf.randomNormal([784, 30])), b: tf.variable(tf.randomNormal([30])) };
  const m2 = { w: tf.variable(tf.randomNormal([30, 10])), b: tf.variable(tf.randomNormal([10])) };
  const sgd = tf.train.sgd(3.0);
  const x10 = tf.randomUniform([10, 784]) as tf.Tensor2D;
  const y10 = tf.oneHot(tf.randomUniform([10], 0, 10, "int32") as tf.Tensor1D, 10);
  const mlpTrain10 = measure(() => {
    tf.tidy(() => {
      sgd.minimize(() => {
        const h = tf.sigmoid(tf.add(tf.matMul(x10, m1.w as tf.Tensor2D), m1.b)) as tf.Tensor2D;
        const o = tf.sigmoid(tf.add(tf.matMul(h, m2.w as tf.Tensor2D), m2.b));
        return tf.div(tf.sum(tf.square(tf.sub(o, y10))), 20) as tf.Scalar;
      });
    });
  }, 10, budget);

  const a = tf.randomNormal([1024, 1024]) as tf.Tensor2D;
  const b = tf.randomNormal([1024, 1024]) as tf.Tensor2D;
  const matmul1024 = measure(() => tf.tidy(() => void tf.matMul(a, b).dataSync()), 2 * 1024 ** 3, budget, 1);
  return { lenetTrain64, lenetInfer1000, mlpTrain10, matmul1024 };
}
