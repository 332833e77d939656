// importInventory: paths (files, or directories of .yaml/.yml/.json/.ign configs) → the import
// result, for `clusterctl import` and `verify --from`. The one part of import that reads files.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { importConfigs } from './import.js';
import type { ConfigText, ImportFlags, ImportResult } from './import.js';
import type { ImportProblem } from './problem.js';

const CONFIG = /\.(ya?ml|json|ign)$/i;

const reason = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not readable (permission denied)' : `cannot be read (${code ?? String(err)})`;
};

// A directory's configs in name order (not recursive); a named file whatever its extension.
async function expand(path: string, problems: ImportProblem[]): Promise<string[]> {
  try {
    if (!(await stat(path)).isDirectory()) return [path];
    const names = (await readdir(path)).filter((n) => CONFIG.test(n)).sort();
    if (names.length === 0) problems.push({ file: path, message: 'a directory with no .yaml, .yml, .json or .ign file in it' });
    return names.map((n) => join(path, n));
  } catch (err) {
    problems.push({ file: path, message: reason(err) });
    return [];
  }
}

export async function importInventory(paths: readonly string[], flags: ImportFlags = {}, inventoryPath?: string): Promise<ImportResult> {
  const problems: ImportProblem[] = [];
  const configs: ConfigText[] = [];
  for (const p of paths) {
    for (const file of await expand(p, problems)) {
      try {
        configs.push({ path: file, text: await readFile(file, 'utf8') });
      } catch (err) {
        problems.push({ file, message: reason(err) });
      }
    }
  }
  const r = importConfigs(configs, flags, inventoryPath);
  if (problems.length === 0) return r;
  return { ok: false, problems: [...problems, ...(r.ok ? [] : r.problems)], warnings: r.warnings };
}
