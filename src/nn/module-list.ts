/**
 * ModuleList and ModuleDict: containers that register their modules (so parameters, state dicts,
 * train/eval and printing see them) without deciding how they are called. The owner's forward
 * uses them, e.g. for the branches of an Inception block or a stack of residual blocks.
 * State-dict keys are PyTorch's: "0.weight", "1.bias", ... and "<key>.weight".
 */
import type { Tensor } from "../tensor/tensor.js";
import { TesseraError, ValueError } from "../errors.js";
import { Module } from "./module.js";

function requireModule(m: unknown, where: string): Module {
  if (!(m instanceof Module)) throw new ValueError(`${where}: expected a Module, got ${m === null ? "null" : typeof m === "object" ? m.constructor.name : typeof m}`);
  return m;
}

/**
 * A list of modules, indexed like an array (negative indices count from the end).
 *
 * @example
 * const blocks = new ModuleList([new Linear(4, 4), new Linear(4, 4)]);
 * for (const block of blocks) x = block.forward(x).relu();
 */
export class ModuleList extends Module {
  private readonly _items: Module[] = [];

  constructor(modules: Iterable<Module> = []) {
    super();
    this.extend(modules);
  }

  override namedChildren(): [string, Module][] {
    return this._items.map((m, i) => [String(i), m]);
  }

  get length(): number {
    return this._items.length;
  }

  private index(i: number, where: string, allowEnd = false): number {
    const n = this._items.length;
    const j = i < 0 ? i + n : i;
    if (!Number.isInteger(i) || j < 0 || j > n || (j === n && !allowEnd)) {
      throw new ValueError(`ModuleList.${where}: index ${i} is out of range for a list of ${n} module(s)`);
    }
    return j;
  }

  /** The i-th module (negative counts from the end). */
  get(i: number): Module {
    return this._items[this.index(i, "get")];
  }

  /** Same as get, as Array.prototype.at. */
  at(i: number): Module {
    return this.get(i);
  }

  /** Replaces the i-th module. */
  set(i: number, module: Module): this {
    this._items[this.index(i, "set")] = requireModule(module, "ModuleList.set");
    return this;
  }

  append(module: Module): this {
    this._items.push(requireModule(module, "ModuleList.append"));
    return this;
  }

  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts before position `index` (PyTorch's insert; index may equal the length). */
  insert(index: number, module: Module): this {
    if (!Number.isInteger(index)) throw new ValueError(`ModuleList.insert: index must be an integer, got ${index}`);
    const n = this._items.length;
    // Like Python's list.insert, indices past either end clamp to it.
    const j = index < 0 ? Math.max(index + n, 0) : Math.min(index, n);
    this._items.splice(j, 0, requireModule(module, "ModuleList.insert"));
    return this;
  }

  /** Removes and returns the i-th module (default: the last). Later modules move down one key. */
  pop(i = -1): Module {
    return this._items.splice(this.index(i, "pop"), 1)[0];
  }

  [Symbol.iterator](): Iterator<Module> {
    return this._items[Symbol.iterator]();
  }

  /** Used by `setSubmodule`: children are named by their index. */
  protected override replaceChild(name: string, module: Module): void {
    this.set(Number(name), module);
  }

  /** A ModuleList is called through its owner's forward, never directly. */
  forward(..._inputs: Tensor[]): Tensor {
    throw new TesseraError(`${this.describe()}: a ModuleList has no forward; iterate over its modules in the owner's forward`);
  }
}

/**
 * Modules by name, in insertion order. Keys are used verbatim in state dicts ("conv.weight"),
 * so they cannot contain "." and cannot be empty.
 *
 * @example
 * const heads = new ModuleDict({ cls: new Linear(8, 10), box: new Linear(8, 4) });
 * const logits = heads.get("cls").forward(features);
 */
export class ModuleDict extends Module {
  private readonly _items = new Map<string, Module>();

  constructor(modules: Record<string, Module> | Iterable<[string, Module]> = {}) {
    super();
    this.update(modules);
  }

  override namedChildren(): [string, Module][] {
    return [...this._items];
  }

  get length(): number {
    return this._items.size;
  }

  has(key: string): boolean {
    return this._items.has(key);
  }

  get(key: string): Module {
    const m = this._items.get(key);
    if (!m) throw new ValueError(`ModuleDict.get: no module named ${JSON.stringify(key)} (keys: ${[...this._items.keys()].join(", ") || "none"})`);
    return m;
  }

  /** Adds a module, or replaces the one under that key (keeping its position). */
  set(key: string, module: Module): this {
    if (typeof key !== "string" || key === "" || key.includes(".")) {
      throw new ValueError(`ModuleDict.set: key ${JSON.stringify(key)} must be a non-empty string without "." (it becomes part of state-dict keys)`);
    }
    this._items.set(key, requireModule(module, `ModuleDict.set(${JSON.stringify(key)})`));
    return this;
  }

  /** Adds every entry of an object, a Map or a list of [key, module] pairs. */
  update(modules: Record<string, Module> | Iterable<[string, Module]>): this {
    const entries = Symbol.iterator in modules ? (modules as Iterable<[string, Module]>) : Object.entries(modules as Record<string, Module>);
    for (const [k, m] of entries) this.set(k, m);
    return this;
  }

  /** Removes and returns the module under `key`. */
  pop(key: string): Module {
    const m = this.get(key);
    this._items.delete(key);
    return m;
  }

  clear(): void {
    this._items.clear();
  }

  keys(): string[] {
    return [...this._items.keys()];
  }

  values(): Module[] {
    return [...this._items.values()];
  }

  /** [key, module] pairs in insertion order (PyTorch's items()). */
  items(): [string, Module][] {
    return [...this._items];
  }

  /** Iterates over the keys, as iterating a PyTorch ModuleDict does. */
  [Symbol.iterator](): Iterator<string> {
    return this._items.keys();
  }

  /** Used by `setSubmodule`: children are named by their key. */
  protected override replaceChild(name: string, module: Module): void {
    this.set(name, module);
  }

  /** A ModuleDict is called through its owner's forward, never directly. */
  forward(..._inputs: Tensor[]): Tensor {
    throw new TesseraError(`${this.describe()}: a ModuleDict has no forward; call its modules from the owner's forward`);
  }
}
