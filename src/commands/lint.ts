import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { lintText } from '../inventory/lint.js';
import type { Io } from '../io.js';
import { renderLint } from '../report/lint.js';

export interface LintOptions {
  inventory: string;
  json: boolean;
}

// `clusterctl lint`: exit 0 clean, 2 with problems (each with file, line and field path).
export async function lintCommand(opts: LintOptions, io: Io): Promise<number> {
  let text: string;
  try {
    text = await readFile(opts.inventory, 'utf8');
  } catch (err) {
    throw new UserError(`inventory file ${resolve(opts.inventory)} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); point at another with -i FILE`, { cause: err });
  }
  const problems = lintText(text, opts.inventory);
  io.stdout.write(renderLint(opts.inventory, resolve(opts.inventory), problems, opts.json));
  return problems.length === 0 ? 0 : 2;
}
