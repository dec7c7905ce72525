/**
 * Whole folders written so that a crash never leaves a half-written one in place (the file-level
 * version, temp + rename, is io/files.ts's writeFileAtomic).
 */
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { recoverInterruptedReplace } from "../io/folder-recovery.js";

/** A name no other writer (process or call) is using: `<base>.<tag>-<pid>-<time>-<counter>`. */
let counter = 0;
export function uniqueSibling(path: string, tag: string): string {
  return `${path}.${tag}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
}

/** fsync a folder so that the renames inside it survive a power cut (best effort: not every OS can). */
export function syncFolder(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some platforms cannot open or fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Fills a fresh temporary folder next to `dir` with `write(tmp)`, then puts it in the place of
 * `dir`: the old folder is renamed aside, the new one renamed in, the old one removed. Readers see
 * the old folder or the new one, complete. A crash between the two renames leaves the old one
 * as `<dir>.old-*` beside a missing `dir`: io.loadModel and the next call here put it back first
 * (io/folder-recovery.ts), and a successful call removes the leftovers.
 */
export function replaceFolderAtomic(dir: string, write: (tmp: string) => void): void {
  recoverInterruptedReplace(dir);
  const tmp = uniqueSibling(dir, "tmp");
  try {
    write(tmp);
    syncFolder(tmp);
    const old = existsSync(dir) ? uniqueSibling(dir, "old") : null;
    if (old) renameSync(dir, old);
    renameSync(tmp, dir);
    syncFolder(dirname(dir));
    if (old) rmSync(old, { recursive: true, force: true });
    removeLeftovers(dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Removes `<dir>.tmp-*` / `<dir>.old-*` siblings that an interrupted replaceFolderAtomic left. */
function removeLeftovers(dir: string): void {
  const name = basename(dir);
  for (const entry of readdirSync(dirname(dir))) {
    if (entry.startsWith(`${name}.tmp-`) || entry.startsWith(`${name}.old-`)) rmSync(join(dirname(dir), entry), { recursive: true, force: true });
  }
}
