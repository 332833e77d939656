// `clusterctl render`: the inventory → one Ignition or Container Linux Config per node. The
// inventory must pass lint and render's own rules first (exit 2 with every problem otherwise).
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { QUIET_YAML } from '../util/yaml-quiet.js';
import { UserError } from '../errors.js';
import { parseInventory } from '../inventory/load.js';
import { selectNodes } from '../inventory/select.js';
import { renderNode } from '../render/render.js';
import type { RenderFormat, RenderedFile } from '../render/render.js';
import { keysOfFile } from '../render/users.js';
import { renderProblems } from '../render/validate.js';
import { inlineKeyProblems } from '../render/validate-keys.js';
import { parsedParts } from '../inventory/parts.js';
import { locateProblems } from '../inventory/locate.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { formatCtCommands, formatKeylessNote, formatRefusal, formatWritten } from '../report/render.js';
import type { Io } from '../io.js';
import { lintText } from '../inventory/lint.js';
import { writeAtomic } from '../util/write-atomic.js';

export interface RenderOptions {
  inventory: string;
  node?: string[]; // names or roles; all nodes when absent
  format: RenderFormat;
  out: string; // directory, created when missing
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UserError(`${what} ${resolve(file)} cannot be read (${code})`, { cause: err });
  }
}

// The key lines of every sshAuthorizedKeysFile the selected nodes name, read once each, and
// the refusal of each file with a line that is not a public key.
async function readKeyFiles(nodes: readonly NodeSpec[], inventory: Inventory): Promise<{ keys: Map<string, string[]>; refusals: string[] }> {
  const keys = new Map<string, string[]>();
  const refusals: string[] = [];
  for (const node of nodes) {
    const f = node.sshAuthorizedKeysFile;
    if (f === undefined || keys.has(f)) continue;
    const read = keysOfFile(await readText(f, `sshAuthorizedKeysFile of ${node.name} (${inventory.path}):`));
    keys.set(f, read.keys);
    if (read.problems.length > 0) {
      refusals.push(formatRefusal(f, `(sshAuthorizedKeysFile of ${node.name}) holds more than public keys`, read.problems.map((p) => ({ path: '', ...p }))));
    }
  }
  return { keys, refusals };
}

export async function renderCommand(opts: RenderOptions, io: Io): Promise<number> {
  const text = await readText(opts.inventory, 'inventory file');
  const lint = lintText(text, opts.inventory);
  if (lint.length > 0) {
    io.stderr.write(formatRefusal(opts.inventory, 'does not pass `clusterctl lint`', lint));
    return 2;
  }
  const inventory = parseInventory(text, opts.inventory);
  const raw: unknown = parseDocument(text, QUIET_YAML).toJS({ maxAliasCount: 100 });
  const problems = locateProblems(text, [...renderProblems(inventory), ...inlineKeyProblems(parsedParts(raw))]);
  if (problems.length > 0) {
    io.stderr.write(formatRefusal(opts.inventory, 'cannot be rendered', problems));
    return 2;
  }
  const nodes = selectNodes(inventory, opts.node, '--node');
  const keyFiles = await readKeyFiles(nodes, inventory);
  if (keyFiles.refusals.length > 0) {
    io.stderr.write(keyFiles.refusals.join(''));
    return 2;
  }
  // Render every node before writing any, so a failure leaves the directory as it was.
  const rendered: RenderedFile[] = nodes.map((n) => renderNode(n, inventory, opts.format, keyFiles.keys));
  await mkdir(opts.out, { recursive: true });
  for (const r of rendered) await writeAtomic(join(opts.out, r.file), r.text, 0o600);

  io.stdout.write(formatWritten(rendered.map((r) => join(opts.out, r.file))));
  nodes.forEach((n, i) => {
    if (rendered[i]?.keys === 0) io.stderr.write(formatKeylessNote(n.name, n.user));
  });
  if (opts.format === 'clc') {
    io.stdout.write(formatCtCommands(rendered.map((r) => ({ clc: join(opts.out, r.file), ign: join(opts.out, `${r.node}.ign`) }))));
  }
  return 0;
}
