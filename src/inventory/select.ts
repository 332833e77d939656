import { UserError } from '../errors.js';
import type { Inventory, NodeSpec } from './types.js';

// --limit (or `flag`): each term names a node or a role; a term that matches nothing is a usage error.
export function selectNodes(inventory: Inventory, terms: string[] | undefined, flag = '--limit'): NodeSpec[] {
  if (!terms || terms.length === 0) return inventory.nodes;
  const unknown = terms.filter((t) => !inventory.nodes.some((n) => n.name === t || n.roles.includes(t as NodeSpec['roles'][number])));
  if (unknown.length > 0) {
    const names = inventory.nodes.map((n) => n.name).join(', ');
    throw new UserError(`${flag} ${unknown.join(',')}: no node or role of that name (nodes: ${names}; roles: etcd, master, worker)`);
  }
  return inventory.nodes.filter((n) => terms.some((t) => n.name === t || n.roles.includes(t as NodeSpec['roles'][number])));
}

// --node NAME: that node; a name that is not in the inventory is a usage error.
export function nodeNamed(inventory: Inventory, name: string): NodeSpec {
  const node = inventory.nodes.find((n) => n.name === name);
  if (!node) throw new UserError(`--node ${name}: no such node in ${inventory.path} (nodes: ${inventory.nodes.map((n) => n.name).join(', ')})`);
  return node;
}

// The etcd nodes: the ones certain to reach etcd, so the flannel config key is read (and
// written) through them.
export function etcdNodes(inventory: Inventory): NodeSpec[] {
  return inventory.nodes.filter((n) => n.roles.includes('etcd'));
}

// Units that must be active on this node: every node's, then each of its roles', in order, once.
export function servicesFor(node: NodeSpec, inventory: Inventory): string[] {
  const s = inventory.cluster.services;
  if (!s) return [];
  return [...new Set([...s.all, ...node.roles.flatMap((r) => s[r])])];
}
