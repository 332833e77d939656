// Config texts → an inventory: each file detected and read on its own (every problem of every
// file), the nodes merged (every contradiction between files), the inventory written and then
// loaded and linted exactly as `clusterctl lint` would read the written file. Nothing comes out
// unless all of it holds. Pure: the caller reads the files.
import { lintText } from '../inventory/lint.js';
import { parseInventory } from '../inventory/load.js';
import type { Provisioned } from '../inventory/provisioned.js';
import type { Inventory } from '../inventory/types.js';
import { InventoryError } from '../errors.js';
import { readButaneSource } from './butane.js';
import type { LocalReader } from './butane.js';
import { readClcSource } from './clc.js';
import { mergeNodes } from './cluster.js';
import type { ImportFlags } from './cluster.js';
import { detectConfig } from './detect.js';
import { readIgnitionSource } from './ignition.js';
import { readNode } from './node.js';
import type { ImportedNode } from './node.js';
import type { ImportProblem } from './problem.js';
import { inventoryText } from './write.js';

export type { ImportFlags };

export interface ConfigText {
  path: string; // as the user named it: it appears in problems and in the inventory's comments
  text: string;
  // Butane's contents.local (and 1.1.0's *_local fields): the file, relative to the files
  // directory (--files-dir, else the config's own directory). Absent: the text came alone.
  readLocal?: LocalReader;
}

const noFiles: LocalReader = () => ({ ok: false, why: 'import was given the config\'s text only, no files directory to read it from' });

export type ImportResult =
  | { ok: true; inventory: Inventory; yamlText: string; provisioned: Record<string, Provisioned>; warnings: string[] }
  | { ok: false; problems: ImportProblem[]; warnings: string[] };

// `inventoryPath`: what the inventory is called (--out, or a name for one kept in memory); it
// anchors relative paths, as the file's own path does for a loaded inventory.
export function importConfigs(configs: readonly ConfigText[], flags: ImportFlags = {}, inventoryPath = 'imported-inventory.yaml'): ImportResult {
  const problems: ImportProblem[] = [];
  const warnings: string[] = [];
  const nodes: ImportedNode[] = [];
  let failed = false;
  for (const c of configs) {
    const d = detectConfig(c.path, c.text);
    if (!d.ok) {
      problems.push(...d.problems);
      failed = true;
      continue;
    }
    warnings.push(...d.warnings);
    const butane = d.format === 'butane' ? readButaneSource(c.path, d.version ?? '', d.value, d.locate, c.readLocal ?? noFiles) : undefined;
    const read = butane ?? (d.format === 'clc' ? readClcSource(c.path, d.value, d.locate) : readIgnitionSource(c.path, d.format as 'ignition-2' | 'ignition-3', d.value, d.locate));
    warnings.push(...(butane?.warnings ?? []));
    const node = readNode(read.source);
    if (read.problems.length || node.problems.length) failed = true;
    problems.push(...read.problems, ...node.problems);
    nodes.push(node.node);
  }
  if (configs.length === 0) problems.push({ file: '(arguments)', message: 'no config files to import: name Container Linux Configs (.yaml), Butane configs (.bu, .yaml) or Ignition configs (.ign, .json), or a directory of them' });
  const merged = mergeNodes(nodes, flags, failed);
  problems.push(...merged.problems);
  warnings.push(...merged.draft.warnings);
  if (problems.length) return { ok: false, problems, warnings };

  const yamlText = inventoryText(merged.draft, configs.map((c) => c.path));
  // What lint says of the written file, each problem pointed at the config its node came from.
  const lint = lintText(yamlText, inventoryPath);
  if (lint.length) {
    const fileOf = (path: string) => merged.draft.nodes[Number(/^nodes\[(\d+)\]/.exec(path)?.[1] ?? -1)]?.file;
    return { ok: false, problems: lint.map((p) => ({ file: fileOf(p.path) ?? inventoryPath, message: `the imported inventory would not pass \`clusterctl lint\`: ${p.path ? `${p.path}: ` : ''}${p.message}` })), warnings };
  }
  let inventory: Inventory;
  try {
    inventory = parseInventory(yamlText, inventoryPath);
  } catch (err) {
    if (err instanceof InventoryError) return { ok: false, problems: err.problems.map((p) => ({ file: inventoryPath, message: `${p.path}: ${p.message}` })), warnings };
    throw err;
  }
  const provisioned: Record<string, Provisioned> = {};
  inventory.nodes.forEach((n, i) => {
    const p = nodes[i]?.provisioned;
    if (p) {
      provisioned[n.name] = p;
      n.provisioned = p;
    }
  });
  return { ok: true, inventory, yamlText, provisioned, warnings };
}
