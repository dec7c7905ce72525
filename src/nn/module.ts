/**
 * Module: the base of every layer and model. Plain classes: parameters (`Parameter`), buffers
 * (any other `Tensor` property, e.g. running statistics) and submodules (`Module` properties, or
 * arrays of them) are discovered by walking own properties in the order they were assigned,
 * giving PyTorch's dotted names (`features.0.weight`). camelCase property names become
 * snake_case keys (`runningMean` → `running_mean`) so state dicts match PyTorch's.
 */
import { ShapeError, TesseraError, ValueError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { noGrad } from "../autograd/engine.js";
import { release } from "../tensor/scope.js";
import { Parameter } from "./parameter.js";

export interface LoadStateDictOptions {
  /** Require the keys to match exactly (PyTorch's default). */
  strict?: boolean;
}

export function stateKey(property: string): string {
  return property.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

export abstract class Module {
  /** Training mode (dropout active, batch statistics) vs evaluation mode. */
  training = true;
  /** @internal Dotted path from the root, set when the root walks its tree (for error messages). */
  _path = "";

  abstract forward(...inputs: Tensor[]): Tensor;

  /** The layer's name in messages: its path and class, e.g. "features.3 (Conv2d)". */
  describe(): string {
    return this._path ? `${this._path} (${this.constructor.name})` : this.constructor.name;
  }

  /** Direct submodules with their names. */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (key.startsWith("_")) continue;
      if (value instanceof Module) out.push([stateKey(key), value]);
      else if (Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof Module)) {
        value.forEach((m: Module, i) => out.push([`${stateKey(key)}.${i}`, m]));
      }
    }
    return out;
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant, depth first, with dotted paths ("" for this one). */
  namedModules(prefix = ""): [string, Module][] {
    this._path = prefix;
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** This module's own tensors (not its children's), split into parameters and buffers. */
  private ownTensors(): { params: [string, Parameter][]; buffers: [string, Tensor][] } {
    const params: [string, Parameter][] = [];
    const buffers: [string, Tensor][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (key.startsWith("_")) continue;
      if (value instanceof Parameter) params.push([stateKey(key), value]);
      else if (value instanceof Tensor) buffers.push([stateKey(key), value]);
    }
    return { params, buffers };
  }

  namedParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    for (const [path, m] of this.namedModules()) {
      for (const [name, p] of m.ownTensors().params) {
        if (seen.has(p)) continue; // a shared parameter is listed once, under its first name
        seen.add(p);
        out.push([path ? `${path}.${name}` : name, p]);
      }
    }
    return out;
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [path, m] of this.namedModules()) {
      for (const [name, b] of m.ownTensors().buffers) out.push([path ? `${path}.${name}` : name, b]);
    }
    return out;
  }

  /** Number of parameter elements (all, or only those that require grad). */
  numParameters(options: { trainableOnly?: boolean } = {}): number {
    return this.parameters()
      .filter((p) => !options.trainableOnly || p.requiresGrad)
      .reduce((n, p) => n + p.numel, 0);
  }

  /**
   * Parameters and buffers by PyTorch key, in PyTorch's order (each module's own tensors, then
   * its children's). The tensors are the live ones: clone them to keep a snapshot.
   */
  stateDict(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [path, m] of this.namedModules()) {
      const { params, buffers } = m.ownTensors();
      for (const [name, t] of [...params, ...buffers]) out.set(path ? `${path}.${name}` : name, t);
    }
    return out;
  }

  /**
   * Copies tensors into this module's parameters and buffers by key. Shapes must match; with
   * `strict` (default) missing and unexpected keys are errors listing them.
   */
  loadStateDict(state: Map<string, Tensor> | Record<string, Tensor>, options: LoadStateDictOptions = {}): void {
    const strict = options.strict ?? true;
    const incoming = state instanceof Map ? state : new Map(Object.entries(state));
    const own = this.stateDict();
    const missing = [...own.keys()].filter((k) => !incoming.has(k));
    const unexpected = [...incoming.keys()].filter((k) => !own.has(k));
    if (strict && (missing.length > 0 || unexpected.length > 0)) {
      throw new TesseraError(
        `loadStateDict into ${this.constructor.name}: ` +
          [missing.length ? `missing keys: ${missing.join(", ")}` : "", unexpected.length ? `unexpected keys: ${unexpected.join(", ")}` : ""].filter(Boolean).join("; "),
      );
    }
    for (const [key, target] of own) {
      const src = incoming.get(key);
      if (!src) continue;
      if (src.shape.length !== target.shape.length || src.shape.some((d, i) => d !== target.shape[i])) {
        throw new ShapeError(`loadStateDict: '${key}' has shape [${src.shape}] in the state dict but [${target.shape}] in the model`);
      }
    }
    noGrad(() => {
      for (const [key, target] of own) {
        const src = incoming.get(key);
        if (src) target.copy_(src);
      }
    });
  }

  /** Sets training mode on this module and every descendant. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Clears the gradients of every parameter (before the next backward). */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      release(p.grad);
      p.grad = null;
    }
  }

  /** Calls fn on every module, children first (as PyTorch's apply). */
  apply(fn: (m: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** One-line description of this layer's configuration, e.g. "1, 6, kernelSize=5". */
  extraRepr(): string {
    return "";
  }

  /** The module tree with each layer's configuration and parameter counts. */
  toString(): string {
    this.namedModules();
    return this.render("");
  }

  private render(indent: string): string {
    const own = this.ownTensors().params.reduce((n, [, p]) => n + p.numel, 0);
    const total = this.numParameters();
    const kids = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()})`;
    if (kids.length === 0) return own > 0 ? `${head}  # ${formatCount(own)} params` : head;
    const lines = kids.map(([name, child]) => `${indent}  (${name}): ${child.render(indent + "  ")}`);
    return `${this.constructor.name}(\n${lines.join("\n")}\n${indent})  # ${formatCount(total)} params`;
  }

  // ---- Transfer learning: freezing, and finding or replacing a submodule by path -------------

  /**
   * Sets `requiresGrad` on every parameter of this module and its descendants (PyTorch's
   * `requires_grad_`). Returns this, for chaining.
   */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * Freezes every parameter here and below (requiresGrad = false) and drops any gradient they
   * hold: backward no longer computes their gradients, `numParameters({ trainableOnly: true })`
   * no longer counts them, and every optimizer skips a parameter whose grad is null, so they stay
   * exactly as they are — even in an optimizer built before freezing, and with momentum or
   * weight decay. Build the optimizer from `trainableParameters()` to leave them out entirely.
   * Freezing does not change train/eval mode: call `.eval()` on a frozen part that has dropout
   * or batch-norm statistics you want fixed. Returns this.
   */
  freeze(): this {
    for (const p of this.parameters()) {
      p.requiresGrad = false;
      release(p.grad);
      p.grad = null;
    }
    return this;
  }

  /** Makes every parameter here and below trainable again (requiresGrad = true). Returns this. */
  unfreeze(): this {
    return this.requiresGrad_(true);
  }

  /** The parameters that require grad (what an optimizer should get when part of a model is frozen). */
  trainableParameters(): Parameter[] {
    return this.parameters().filter((p) => p.requiresGrad);
  }

  /**
   * The descendant at a dotted path, as in `namedModules()` (PyTorch's `get_submodule`):
   * `"classifier.6"`, `"features"`, `""` for this module. A bad path throws naming the part that
   * was not found and the children available there.
   */
  getSubmodule(path: string): Module {
    let m: Module = this;
    let rest = path;
    let walked = "";
    while (rest !== "") {
      const kids = m.namedChildren();
      // A child name can itself contain a dot (an array property's "blocks.0"): take the longest match.
      const hit = kids.filter(([name]) => rest === name || rest.startsWith(`${name}.`)).sort((a, b) => b[0].length - a[0].length)[0];
      if (!hit) {
        const at = walked ? `'${walked}' (${m.constructor.name})` : `${this.constructor.name}`;
        const names = kids.map(([name]) => name);
        throw new ValueError(`${this.constructor.name}: no submodule '${path}': ${at} has no child '${rest.split(".")[0]}' (children: ${names.length ? names.join(", ") : "none"})`);
      }
      walked = walked ? `${walked}.${hit[0]}` : hit[0];
      m = hit[1];
      rest = rest.slice(hit[0].length + 1);
    }
    return m;
  }

  /**
   * Replaces the descendant at a dotted path with another module, keeping its name and position
   * (PyTorch's `set_submodule`), e.g. a new head: `model.setSubmodule("classifier.6", new
   * Linear(4096, 2))`. Its parameters then appear in `parameters()` and `stateDict()` under that
   * path. Returns this.
   */
  setSubmodule(path: string, module: Module): this {
    if (!(module instanceof Module)) throw new ValueError(`${this.constructor.name}.setSubmodule('${path}'): expected a Module, got ${module === null ? "null" : typeof module}`);
    if (path === "") throw new ValueError(`${this.constructor.name}.setSubmodule: the path is empty; a module cannot replace itself`);
    // The parent is the longest proper prefix that resolves; the rest is the child's name there.
    const parts = path.split(".");
    for (let cut = parts.length - 1; cut >= 0; cut--) {
      const parentPath = parts.slice(0, cut).join(".");
      const name = parts.slice(cut).join(".");
      let parent: Module;
      try {
        parent = this.getSubmodule(parentPath);
      } catch {
        continue;
      }
      if (parent.namedChildren().some(([n]) => n === name)) {
        parent.replaceChild(name, module);
        return this;
      }
    }
    this.getSubmodule(path); // throws the message naming the missing part and the children there
    throw new ValueError(`${this.constructor.name}.setSubmodule: '${path}' has no parent that can replace it`);
  }

  /**
   * Puts `module` in place of the direct child called `name` (one of `namedChildren()`'s names).
   * Containers that keep their children elsewhere (Sequential, ModuleList, ModuleDict) override it.
   */
  protected replaceChild(name: string, module: Module): void {
    for (const [key, value] of Object.entries(this)) {
      if (key.startsWith("_")) continue;
      const k = stateKey(key);
      if (value instanceof Module && k === name) {
        (this as Record<string, unknown>)[key] = module;
        return;
      }
      if (Array.isArray(value) && name.startsWith(`${k}.`)) {
        const i = Number(name.slice(k.length + 1));
        if (Number.isInteger(i) && value[i] instanceof Module) {
          value[i] = module;
          return;
        }
      }
    }
    throw new ValueError(`${this.describe()}: no child '${name}' to replace (children: ${this.namedChildren().map(([n]) => n).join(", ") || "none"})`);
  }
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
