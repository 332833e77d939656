// Inventory → one validated config text per node, in any of the formats. Pure and deterministic:
// the same inventory and key files give the same bytes.
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { butaneProblems, butaneConfig, butaneText } from './butane.js';
import { clcConfig, clcText, readClc } from './clc.js';
import { clcProblems } from './clc-schema.js';
import { ignitionConfig, ignitionText } from './ignition.js';
import { ignitionProblems } from './ignition-schema.js';
import { nodeConfig } from './node.js';

export type RenderFormat = 'ignition' | 'butane' | 'clc';

export interface RenderedFile {
  node: string;
  file: string; // <node>.ign, <node>.bu or <node>.clc.yaml
  text: string;
  keys: number; // SSH keys given to the login user (0: none, the command says so)
}

const EXTENSION: Record<RenderFormat, string> = { ignition: '.ign', butane: '.bu', clc: '.clc.yaml' };
export const extensionOf = (format: RenderFormat): string => EXTENSION[format];

// A rendered config that fails its own format's validation is a bug in clusterctl, not in the
// inventory (which passed lint and render's rules): the caller reports it as internal.
export class RenderValidationError extends Error {
  override name = 'RenderValidationError';
}

export function renderNode(node: NodeSpec, inventory: Inventory, format: RenderFormat, keyFiles: ReadonlyMap<string, string[]>): RenderedFile {
  const config = nodeConfig(node, inventory, keyFiles);
  let text: string;
  let problems: string[];
  if (format === 'ignition') {
    const ign = ignitionConfig(config);
    text = ignitionText(ign);
    problems = ignitionProblems(JSON.parse(text));
  } else if (format === 'butane') {
    text = butaneText(butaneConfig(config));
    problems = butaneProblems(config, text);
  } else {
    text = clcText(clcConfig(config));
    problems = clcProblems(readClc(text));
  }
  if (problems.length > 0) throw new RenderValidationError(`the ${format} config rendered for ${node.name} is invalid: ${problems.join('; ')}`);
  return { node: node.name, file: `${node.name}${extensionOf(format)}`, text, keys: config.user?.sshAuthorizedKeys.length ?? 0 };
}
