/**
 * The browser entry (src/browser.ts) loads in a page without a bundler: no module it reaches,
 * by static or dynamic import, names a `node:` module or a package (a bare specifier, which a
 * page cannot resolve without an import map). The wasm backend's worker, which threads.ts
 * starts from a URL rather than an import, is checked too. And the entry exports the same
 * objects as the main entry, so code written against one runs against the other.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as browser from "../../src/browser.js";
import * as main from "../../src/index.js";

const SRC = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src");

/** `from "x"`, `import "x"` and `import("x")` in compiled JavaScript (comments stripped first). */
function specifiers(code: string): string[] {
  const stripped = code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const found: string[] = [];
  for (const re of [/\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\(\s*["']([^"']+)["']\s*\)/g]) {
    for (const m of stripped.matchAll(re)) found.push(m[1]);
  }
  return found;
}

/** Every module reachable from `roots` (paths under build/src), and the non-relative imports met. */
function walk(roots: string[]): { modules: Set<string>; external: string[] } {
  const modules = new Set<string>();
  const external: string[] = [];
  const todo = roots.map((r) => join(SRC, r));
  while (todo.length) {
    const file = todo.pop()!;
    if (modules.has(file)) continue;
    modules.add(file);
    for (const spec of specifiers(readFileSync(file, "utf8"))) {
      if (spec.startsWith("./") || spec.startsWith("../")) todo.push(join(dirname(file), spec));
      else external.push(`${relative(SRC, file)} imports ${spec}`);
    }
  }
  return { modules, external };
}

test("nothing the browser entry or the kernel worker imports needs Node or a package", () => {
  const { modules, external } = walk(["browser.js", "backend/wasm/worker.js"]);
  assert.deepEqual(external, []);
  const rel = [...modules].map((m) => relative(SRC, m));
  // The walk really followed the graph: layers, models and both backends are in it.
  for (const m of ["nn/conv.js", "models/lenet.js", "backend/wasm/threads.js", "backend/wasm/kernels.generated.js", "backend/cpu/index.js"]) {
    assert.ok(rel.includes(m), `${m} reached from the browser entry`);
  }
  for (const m of rel) assert.ok(!/^(cli|train)\/|^data\/(idx|mnist-files|mnist)\.js$|^io\/files\.js$/.test(m), `${m} is Node-only`);
});

test("the main entry does import Node modules (so the walk above can see them)", () => {
  const { external } = walk(["index.js"]);
  assert.ok(external.some((e) => e.endsWith(" imports node:fs")), external.join("\n"));
});

test("the browser entry exports the main entry's objects, less only the file and training APIs", () => {
  const b = browser as Record<string, unknown>;
  const m = main as Record<string, unknown>;
  for (const name of Object.keys(b)) {
    if (name === "data" || name === "io") continue;
    assert.equal(b[name], m[name], `browser.${name} is main.${name}`);
  }
  assert.deepEqual(Object.keys(m).filter((k) => !(k in b)), ["train"]);
  for (const ns of ["data", "io"] as const) {
    const sub = b[ns] as Record<string, unknown>;
    const full = m[ns] as Record<string, unknown>;
    for (const name of Object.keys(sub)) assert.equal(sub[name], full[name], `browser.${ns}.${name} is main.${ns}.${name}`);
  }
  assert.deepEqual(Object.keys(main.data).filter((k) => !(k in browser.data)).sort(), ["FIRST_NAME_PACKAGES", "MNIST_MEAN", "MNIST_STD", "firstNames", "mnist", "mnistFiles", "readIdxFile", "readMnistSplit", "readTextFile"]);
  assert.deepEqual(Object.keys(main.io).filter((k) => !(k in browser.io)).sort(), ["MODEL_FILE", "WEIGHTS_FILE", "loadModel", "loadSafetensors", "saveModel", "saveSafetensors", "writeFileAtomic"]);
});
