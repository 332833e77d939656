// Reads an inventory file: YAML → schema → rules → normalized Inventory. Every problem found is
// collected, given its field path and line, and thrown together as one InventoryError.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { YAMLParseError } from 'yaml';
import { QUIET_YAML } from '../util/yaml-quiet.js';
import { InventoryError, UserError } from '../errors.js';
import type { InventoryProblem } from '../errors.js';
import type { Inventory } from './types.js';
import { InventorySchema } from './schema.js';
import { parsedParts } from './parts.js';
import { issueProblems, messageFor } from './issues.js';
import type { RawProblem } from './problems.js';
import { formatPath } from './problems.js';
import { checkRules } from './rules/node.js';
import { lineOf } from './yaml-lines.js';
import { normalize } from './normalize.js';

export interface LoadOptions {
  home?: string; // for ~ expansion; defaults to homedir() (tests pass a fake one)
}

function fail(file: string, problems: InventoryProblem[]): never {
  throw new InventoryError(file, problems);
}

function syntaxMessage(e: YAMLParseError): string {
  if (e.code === 'MULTIPLE_DOCS') return 'YAML syntax: the inventory must be one document (a second --- starts another)';
  return `YAML syntax: ${e.message}`;
}

// Parse inventory text; `file` names it in problems and anchors relative paths.
export function parseInventory(text: string, file: string, opts: LoadOptions = {}): Inventory {
  const lc = new LineCounter();
  const doc = parseDocument(text, { ...QUIET_YAML, lineCounter: lc, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // The tree after a syntax error is a guess; field problems found in it would mislead.
    fail(file, doc.errors.map((e) => ({ path: '', line: lc.linePos(e.pos[0]).line, message: syntaxMessage(e) })));
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    fail(file, [{ path: '', message: `YAML: ${err instanceof Error ? err.message : String(err)}` }]);
  }
  if (raw === null || raw === undefined) {
    fail(file, [{ path: '', line: 1, message: 'the inventory is empty; it needs a nodes: list (see inventory.example.yaml)' }]);
  }

  const whole = InventorySchema.safeParse(raw, { error: messageFor });
  const problems: RawProblem[] = whole.success ? [] : issueProblems(whole.error.issues);
  problems.push(...checkRules(parsedParts(raw)));
  if (problems.length > 0 || !whole.success) {
    const located = problems.map((p) => ({ path: formatPath(p.path), line: lineOf(doc, p.path, lc), message: p.message }));
    // Stable sort: file order, so the list reads top to bottom alongside the file.
    fail(file, located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }
  return normalize(whole.data, file, opts.home ?? homedir());
}

// Read and parse an inventory file. A missing or unreadable file is a UserError naming it.
export async function loadInventory(file: string, opts: LoadOptions = {}): Promise<Inventory> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? String(err)})`;
    throw new UserError(
      `inventory file ${resolve(file)} ${what}; point at another with -i FILE or $CLUSTERCTL_INVENTORY`,
      { cause: err },
    );
  }
  return parseInventory(text, file, opts);
}
