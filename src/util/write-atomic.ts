// Write a file the way render and import --out do: through a temporary file beside the target,
// renamed over it, so a reader never sees half a file.
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// A temporary name no one can guess ahead (128 random bits, not the pid): nothing can be planted
// there for us to follow.
export function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${randomBytes(16).toString('hex')}`);
}

// The temporary file is created exclusively ('wx': O_CREAT|O_EXCL, which fails on an existing
// name, a symlink included, and never follows one), with `mode` from the start; rename then
// replaces the target's directory entry, never what a symlink there points to. On any failure
// the temporary file is removed and the target left as it was.
export async function writeAtomic(path: string, text: string, mode: number, tempName: (path: string) => string = tempNameFor): Promise<void> {
  const tmp = tempName(path);
  const file = await open(tmp, 'wx', mode);
  try {
    try {
      await file.writeFile(text);
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
