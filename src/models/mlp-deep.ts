import { MLP, type Activation } from "./mlp.js";
import { ValueError } from "../errors.js";

/**
 * The deep plain MLPs of the lectures' MNIST table (Cireşan, Meier, Gambardella & Schmidhuber
 * 2010, "Deep, big, simple neural nets for handwritten digit recognition"), written as the table
 * writes them: hidden widths then the 10 outputs.
 */
export const DEEP_MLP_TABLE = [
  "2500-2000-1500-1000-500-10",
  "2000-2000-2000-2000-2000-2000-10",
  "1500-1500-1500-1500-1500-1500-10",
  "1000-1000-1000-1000-1000-1000-1000-1000-10",
  "1000-1000-1000-1000-1000-1000-1000-10",
  "1000-1000-1000-1000-1000-1000-10",
  "1000-1000-1000-1000-1000-10",
  "1000-1000-1000-1000-10",
  "1000-1000-1000-10",
  "500-500-500-500-500-500-500-10",
  "500-500-500-500-500-500-10",
  "500-500-500-500-500-10",
] as const;

export interface DeepMLPOptions {
  /** Widths after the input, as "2500-2000-1500-1000-500-10" or an array (default that one). */
  layers?: string | number[];
  /** Input width (default 784, MNIST's 28x28; Cireşan et al. used 29x29 = 841). */
  inputSize?: number;
  /** Hidden activation (default tanh, as the paper's scaled tanh). */
  activation?: Activation;
}

/**
 * A deep MLP of the table: Linear layers (`layers.0`, ...), the activation between them, logits
 * out (no output activation; pair with crossEntropy), PyTorch's default initialisation.
 * 2500-2000-1500-1000-500-10 has 11,972,510 parameters on 784 inputs and 12,115,010 on the
 * paper's 841 (its "12.11M weights").
 */
export function deepMLP(options: DeepMLPOptions = {}): MLP {
  const spec = options.layers ?? DEEP_MLP_TABLE[0];
  const widths = typeof spec === "string" ? spec.split("-").map(Number) : spec;
  if (widths.length === 0 || !widths.every((w) => Number.isInteger(w) && w > 0)) {
    throw new ValueError(`deepMLP: layers must be positive integer widths like "2500-2000-1500-1000-500-10", got '${String(spec)}'`);
  }
  return new MLP({ sizes: [options.inputSize ?? 784, ...widths], activation: options.activation ?? "tanh", activateOutput: false, init: "pytorch" });
}
