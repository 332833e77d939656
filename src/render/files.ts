import type { NodeSpec } from '../inventory/types.js';
import type { FileSpec } from './model.js';

// /etc/hostname, as the setup guide writes it (mode 0644, the bare name and a newline).
export function hostnameFile(node: NodeSpec): FileSpec {
  return { path: '/etc/hostname', mode: 0o644, contents: `${node.hostname}\n` };
}
