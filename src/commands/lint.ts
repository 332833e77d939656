import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { lintText } from '../inventory/lint.js';
import type { Io } from '../io.js';
import { formatLint } from '../report/lint.js';
import { loadSource } from './source.js';
import type { SourceOptions } from './source.js';

export interface LintOptions extends SourceOptions {
  json: boolean;
}

// `clusterctl lint`: exit 0 clean, 2 with problems (each with file, line and field path).
export async function lintCommand(opts: LintOptions, io: Io): Promise<number> {
  // --from: the configs are imported, and their problems are the findings (import writes only
  // what lints clean); the inventory they give is linted as a file would be.
  if (opts.from?.length) {
    const inventory = await loadSource(opts, io);
    io.stdout.write(formatLint(inventory.path, inventory.path, [], opts.json));
    return 0;
  }
  let text: string;
  try {
    text = await readFile(opts.inventory, 'utf8');
  } catch (err) {
    throw new UserError(`inventory file ${resolve(opts.inventory)} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); point at another with -i FILE`, { cause: err });
  }
  const problems = lintText(text, opts.inventory);
  io.stdout.write(formatLint(opts.inventory, resolve(opts.inventory), problems, opts.json));
  return problems.length === 0 ? 0 : 2;
}
