// importInventory: paths (files, or directories of .yaml/.yml/.bu/.json/.ign configs) → the import
// result, for `clusterctl import` and `verify --from`. The one part of import that reads files.
import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { LocalReader } from './butane.js';
import { importConfigs } from './import.js';
import type { ConfigText, ImportFlags, ImportResult } from './import.js';
import type { ImportProblem } from './problem.js';

const CONFIG = /\.(ya?ml|bu|json|ign)$/i;

const reason = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not readable (permission denied)' : `cannot be read (${code ?? String(err)})`;
};

// A directory's configs in name order (not recursive); a named file whatever its extension.
async function expand(path: string, problems: ImportProblem[]): Promise<string[]> {
  try {
    if (!(await stat(path)).isDirectory()) return [path];
    const names = (await readdir(path)).filter((n) => CONFIG.test(n)).sort();
    if (names.length === 0) problems.push({ file: path, message: 'a directory with no .yaml, .yml, .bu, .json or .ign file in it' });
    return names.map((n) => join(path, n));
  } catch (err) {
    problems.push({ file: path, message: reason(err) });
    return [];
  }
}

// Butane's local files: joined to `dir` as Butane's ReadLocalFile does (an absolute path too),
// and refused when the result leaves it (`..`).
export function localReader(dir: string): LocalReader {
  const base = resolve(dir);
  return (rel) => {
    const path = join(base, rel);
    if (path !== base && !path.startsWith(`${base}${sep}`)) return { ok: false, why: `leaves the files directory ${dir} (Butane refuses such a local path)` };
    try {
      return { ok: true, bytes: readFileSync(path) };
    } catch (err) {
      return { ok: false, why: `${reason(err)} in the files directory ${dir} (--files-dir; default: the config's own directory)` };
    }
  };
}

export interface ReadOptions {
  filesDir?: string; // Butane's --files-dir; default: each config's own directory
}

export async function importInventory(paths: readonly string[], flags: ImportFlags = {}, inventoryPath?: string, read: ReadOptions = {}): Promise<ImportResult> {
  const problems: ImportProblem[] = [];
  const configs: ConfigText[] = [];
  for (const p of paths) {
    for (const file of await expand(p, problems)) {
      try {
        configs.push({ path: file, text: await readFile(file, 'utf8'), readLocal: localReader(read.filesDir ?? dirname(file)) });
      } catch (err) {
        problems.push({ file, message: reason(err) });
      }
    }
  }
  const r = importConfigs(configs, flags, inventoryPath);
  if (problems.length === 0) return r;
  return { ok: false, problems: [...problems, ...(r.ok ? [] : r.problems)], warnings: r.warnings };
}
