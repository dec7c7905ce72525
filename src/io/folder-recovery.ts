/**
 * Undoing a folder replacement that a crash cut short. Replacing a whole folder (train/atomic.ts's
 * replaceFolderAtomic) takes two renames: the old folder aside to `<dir>.old-*`, then the new one
 * in. A crash between them leaves no `<dir>` but a complete old copy beside it; putting that copy
 * back is all it takes for nothing to be lost.
 */
import { existsSync, readdirSync, renameSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** The `<dir>.old-*` siblings, newest first (their names end in a base-36 time and counter). */
function oldCopies(dir: string): string[] {
  const parent = dirname(dir);
  const prefix = `${basename(dir)}.old-`;
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return [];
  }
  const stamp = (name: string) => name.slice(prefix.length).split("-").slice(1).map((part) => parseInt(part, 36));
  return entries
    .filter((e) => e.startsWith(prefix))
    .sort((a, b) => {
      const [ta, ca] = stamp(a), [tb, cb] = stamp(b);
      return tb - ta || cb - ca;
    })
    .map((e) => join(parent, e));
}

/**
 * If `dir` is missing but an interrupted replacement left its previous copy as `<dir>.old-*`,
 * renames the newest such copy back to `dir`. Returns whether it did.
 */
export function recoverInterruptedReplace(dir: string): boolean {
  if (existsSync(dir)) return false;
  const [newest] = oldCopies(dir);
  if (!newest) return false;
  renameSync(newest, dir);
  return true;
}
