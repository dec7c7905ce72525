/**
 * A folder replacement cut short between its two renames (the old copy moved aside, the new one
 * not yet in place) loses nothing: loading the folder, or replacing it again, puts the old copy
 * back first.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { manualSeed } from "../../src/random.js";
import { loadModel, saveModel } from "../../src/io/files.js";
import { recoverInterruptedReplace } from "../../src/io/folder-recovery.js";
import { replaceFolderAtomic, uniqueSibling } from "../../src/train/atomic.js";
import { MLP } from "../../src/models/mlp.js";
import { withTempDir } from "../helpers/temp-dir.js";

/** The write step of a replacement: the folder is the writer's to create. */
function writeEpoch(tmp: string, epoch: string): void {
  mkdirSync(tmp);
  writeFileSync(join(tmp, "epoch.txt"), epoch);
}

/** What a crash between replaceFolderAtomic's two renames leaves: only `<dir>.old-*`. */
function crashMidReplace(dir: string): string {
  const old = uniqueSibling(dir, "old");
  renameSync(dir, old);
  return old;
}

test("loadModel puts back a model folder whose replacement was cut short", () => {
  withTempDir((root) => {
    manualSeed(3);
    const dir = join(root, "best");
    const model = new MLP({ sizes: [4, 3, 2] });
    replaceFolderAtomic(dir, (tmp) => saveModel(tmp, model, { name: "mlp", options: { sizes: [4, 3, 2] } }));
    const expected = [...model.stateDict()].map(([k, t]) => [k, t.toArray()]);
    const old = crashMidReplace(dir);
    assert.equal(existsSync(dir), false);

    const { model: loaded } = loadModel(dir);
    assert.deepEqual([...loaded.stateDict()].map(([k, t]) => [k, t.toArray()]), expected);
    assert.equal(existsSync(old), false, "the old copy is back in place, not duplicated");
  });
});

test("the next replacement starts from the recovered folder, and the newest old copy wins", () => {
  withTempDir((root) => {
    const dir = join(root, "best");
    replaceFolderAtomic(dir, (tmp) => writeEpoch(tmp, "1"));
    crashMidReplace(dir);
    // A second cut-short replacement of a later copy: both old copies are present now.
    replaceFolderAtomic(dir, (tmp) => writeEpoch(tmp, "2"));
    crashMidReplace(dir);
    assert.equal(readdirSync(root).filter((e) => e.startsWith("best.old-")).length, 1, "a successful replacement removed the first leftover");

    assert.equal(recoverInterruptedReplace(dir), true);
    assert.equal(readFileSync(join(dir, "epoch.txt"), "utf8"), "2");
    assert.equal(recoverInterruptedReplace(dir), false, "nothing to do once the folder exists");

    replaceFolderAtomic(dir, (tmp) => writeEpoch(tmp, "3"));
    assert.equal(readFileSync(join(dir, "epoch.txt"), "utf8"), "3");
    assert.deepEqual(readdirSync(root), ["best"]);
  });
});

test("recovery picks the newest of several old copies and leaves an absent folder absent", () => {
  withTempDir((root) => {
    const dir = join(root, "best");
    assert.equal(recoverInterruptedReplace(dir), false);
    assert.equal(existsSync(dir), false);
    for (const epoch of ["1", "2", "3"]) {
      const old = uniqueSibling(dir, "old");
      mkdirSync(old);
      writeFileSync(join(old, "epoch.txt"), epoch);
    }
    assert.equal(recoverInterruptedReplace(dir), true);
    assert.equal(readFileSync(join(dir, "epoch.txt"), "utf8"), "3");
    assert.equal(readdirSync(root).filter((e) => e.startsWith("best.old-")).length, 2);
  });
});
