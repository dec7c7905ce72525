/**
 * The loss of a character model, in nats per character: the mean over every predicted character
 * of −log p(actual next character), with padded positions (target PAD_TARGET = −100) left out.
 * An untrained model that spreads its bets evenly scores ln V (V characters); exp(loss) is the
 * perplexity, loss / ln 2 the bits per character.
 */
import type { Tensor } from "../tensor/tensor.js";
import { crossEntropy } from "../nn/losses.js";
import { noGrad } from "../autograd/engine.js";
import { DataLoader } from "../data/dataloader.js";
import type { Dataset } from "../data/dataset.js";
import { PAD_TARGET } from "../data/text.js";
import type { Module } from "../nn/module.js";

/**
 * Cross-entropy of logits [N, T, V] against next-character targets [N, T] (padding = −100 is
 * ignored): "mean" per predicted character (what training minimises), or "sum".
 */
export function charLoss(logits: Tensor, targets: Tensor, reduction: "mean" | "sum" = "mean"): Tensor {
  const V = logits.shape[logits.ndim - 1];
  return crossEntropy(logits.reshape([-1, V]), targets.reshape([-1]), { reduction, ignoreIndex: PAD_TARGET });
}

/** Mean nats per predicted character over a dataset of (input, target) rows, in eval mode without the tape. */
export function natsPerChar(model: Module, dataset: Dataset, batchSize = 256): { natsPerChar: number; chars: number } {
  const wasTraining = model.training;
  model.eval();
  let total = 0;
  let chars = 0;
  try {
    noGrad(() => {
      for (const [x, y] of new DataLoader(dataset, { batchSize })) {
        total += charLoss(model.forward(x), y, "sum").item();
        for (const t of y.data()) if (t !== PAD_TARGET) chars++;
      }
    });
  } finally {
    model.train(wasTraining);
  }
  return { natsPerChar: total / Math.max(chars, 1), chars };
}
