/**
 * Reverse-mode automatic differentiation on a dynamic tape, as in PyTorch's eager mode.
 *
 * Every op that produces a tensor from inputs that require grad attaches a `GradFn` to it: the
 * inputs and a closure mapping the output's gradient to the inputs' gradients. `backward()` walks
 * that graph once in reverse topological order. The closures run with recording off, so
 * gradients are plain tensors with no history of their own.
 */
import type { Tensor } from "../tensor/tensor.js";
import type { Storage } from "../backend/types.js";
import { AutogradError } from "../errors.js";
import { keep, release } from "../tensor/scope.js";
import { addPartialInto, PartialGradient, zeroGradientOf } from "./partial.js";

export interface GradFn {
  /** The op's name, for error messages and graph printing. */
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /**
   * Gradient of the loss w.r.t. each input, given the gradient w.r.t. the output (null = none; a
   * PartialGradient for one that is zero outside a view, as a slice's).
   */
  readonly backward: (gradOutput: Tensor) => readonly (Tensor | PartialGradient | null)[];
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` without recording the graph: for inference, evaluation and parameter updates. */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Runs `fn` with recording on, even inside `noGrad`. */
export function enableGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Back-propagates `gradOutput` from `root` and accumulates into `.grad` of every leaf that
 * requires grad. Iterative (no recursion), so graphs as long as an unrolled RNN are fine.
 */
export function backward(root: Tensor, gradOutput: Tensor): void {
  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>([[root, gradOutput]]);
  const assigned = new Set<Storage>(); // memory already given to a leaf's .grad in this pass
  // Accumulators this pass made and nobody else holds: they may be changed in place, and freed
  // when a sum replaces them. A gradient handed to a backward function leaves the set, since the
  // function may pass it on (a reshape, x + x).
  const owned = new Set<Tensor>();
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = grads.get(t);
      if (!g) continue;
      grads.delete(t); // free intermediate gradients as soon as they are used
      owned.delete(g);
      const fn = t.gradFn;
      if (!fn) {
        // A leaf gets a gradient of its own, in its own dtype: one gradient's memory can reach
        // several leaves (x + y sends the same g to both; a reshape shares it), or be the caller's
        // own tensor, and an in-place change to one .grad (clipping, say) must not change another.
        // Only those cases pay for a copy.
        const previous = t.grad;
        let own = g.dtype === t.dtype ? g : g.to(t.dtype);
        if (!previous && own === g && (assigned.has(g.storage) || g.storage === gradOutput.storage)) own = g.clone();
        t.grad = keep(previous ? previous.add(own) : own);
        assigned.add(t.grad.storage);
        release(previous);
        continue;
      }
      const inputGrads = fn.backward(g);
      fn.inputs.forEach((input, k) => {
        const ig = inputGrads[k];
        if (!ig || !input.requiresGrad) return;
        const acc = grads.get(input);
        if (ig instanceof PartialGradient) {
          let target = acc && owned.has(acc) ? acc : null;
          if (!target) {
            target = acc ? acc.clone() : zeroGradientOf(input);
            owned.add(target);
          }
          addPartialInto(target, ig);
          grads.set(input, target);
          return;
        }
        if (ig.shape.length !== input.shape.length || ig.shape.some((d, j) => d !== input.shape[j])) {
          throw new AutogradError(
            `backward of ${fn.name}: gradient for input ${k} has shape [${ig.shape}] but the input has shape [${input.shape}]`,
          );
        }
        if (!acc) {
          grads.set(input, ig);
          return;
        }
        const sum = acc.add(ig);
        if (owned.delete(acc)) release(acc);
        owned.add(sum);
        grads.set(input, sum);
      });
    }
  } finally {
    gradEnabled = previous;
  }
}

/** Tensors reachable from root through gradFn edges, each after all of its inputs. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: { t: Tensor; next: number }[] = [{ t: root, next: 0 }];
  visited.add(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const inputs = frame.t.gradFn?.inputs ?? [];
    if (frame.next < inputs.length) {
      const child = inputs[frame.next++];
      if (child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push({ t: child, next: 0 });
      }
    } else {
      order.push(frame.t);
      stack.pop();
    }
  }
  return order;
}
