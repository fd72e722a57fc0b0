// A scratch copy of this workspace, for the checks that must change files to prove something
// (tools/check-boundaries.mjs adds probe libraries, tools/check-lean.mjs drops the teaching folders): a fresh folder
// in the system's temporary directory, the given paths copied into it, node_modules linked instead of copied.
// The real workspace is never touched.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/** The workspace root (the folder above tools/). */
export const workspaceRoot = new URL('..', import.meta.url).pathname;

/** Dependencies, build output and local state: never copied. */
const SKIPPED = /(^|\/)(node_modules|dist|\.data|\.angular)(\/|$)/;

/**
 * Copies files and folders of the workspace into a new scratch folder and links the workspace's node_modules there.
 * @param prefix the scratch folder's name before mkdtemp's random suffix, e.g. 'lean-check-'.
 * @param paths files or folders, relative to the workspace root; folders are copied whole.
 * @returns the scratch folder's path; removeScratchCopy deletes it.
 */
export function makeScratchCopy(prefix, paths) {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  try {
    for (const path of paths) {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      cpSync(join(workspaceRoot, path), join(scratch, path), {
        recursive: true,
        filter: (source) => !SKIPPED.test(relative(workspaceRoot, source)),
      });
    }
    symlinkSync(join(workspaceRoot, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  } catch (error) {
    removeScratchCopy(scratch);
    throw error;
  }
  return scratch;
}

/** Deletes a scratch folder made by makeScratchCopy (nothing happens when it is already gone). */
export function removeScratchCopy(scratch) {
  rmSync(scratch, { recursive: true, force: true });
}
