// `clusterctl render`: the inventory → one Ignition or Container Linux Config per node. The
// inventory must pass lint and render's own rules first (exit 2 with every problem otherwise).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { parseInventory } from '../inventory/load.js';
import { selectNodes } from '../inventory/select.js';
import { renderNode } from '../render/render.js';
import type { RenderFormat, RenderedFile } from '../render/render.js';
import { keysOfFile } from '../render/users.js';
import { renderProblems } from '../render/validate.js';
import { locateProblems } from '../inventory/locate.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { renderCtCommands, renderKeylessNote, renderRefusal, renderWritten } from '../report/render.js';
import type { Io } from '../io.js';
import { lintText } from '../inventory/lint.js';

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

// The key lines of every sshAuthorizedKeysFile the selected nodes name, read once each.
async function readKeyFiles(nodes: readonly NodeSpec[], inventory: Inventory): Promise<Map<string, string[]>> {
  const files = new Map<string, string[]>();
  for (const node of nodes) {
    const f = node.sshAuthorizedKeysFile;
    if (f === undefined || files.has(f)) continue;
    files.set(f, keysOfFile(await readText(f, `sshAuthorizedKeysFile of ${node.name} (${inventory.path}):`)));
  }
  return files;
}

// Write next to the target and rename, so a reader never sees half a config.
async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}

export async function renderCommand(opts: RenderOptions, io: Io): Promise<number> {
  const text = await readText(opts.inventory, 'inventory file');
  const lint = lintText(text, opts.inventory);
  if (lint.length > 0) {
    io.stderr.write(renderRefusal(opts.inventory, 'does not pass `clusterctl lint`', lint));
    return 2;
  }
  const inventory = parseInventory(text, opts.inventory);
  const problems = locateProblems(text, renderProblems(inventory));
  if (problems.length > 0) {
    io.stderr.write(renderRefusal(opts.inventory, 'cannot be rendered', problems));
    return 2;
  }
  const nodes = selectNodes(inventory, opts.node, '--node');
  const keyFiles = await readKeyFiles(nodes, inventory);
  // Render every node before writing any, so a failure leaves the directory as it was.
  const rendered: RenderedFile[] = nodes.map((n) => renderNode(n, inventory, opts.format, keyFiles));
  await mkdir(opts.out, { recursive: true });
  for (const r of rendered) await writeAtomic(join(opts.out, r.file), r.text);

  io.stdout.write(renderWritten(rendered.map((r) => join(opts.out, r.file))));
  nodes.forEach((n, i) => {
    if (rendered[i]?.keys === 0) io.stderr.write(renderKeylessNote(n.name, n.user));
  });
  if (opts.format === 'clc') {
    io.stdout.write(renderCtCommands(rendered.map((r) => ({ clc: join(opts.out, r.file), ign: join(opts.out, `${r.node}.ign`) }))));
  }
  return 0;
}
