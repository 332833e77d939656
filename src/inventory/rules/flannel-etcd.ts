// A lint rule: flannel on a node that runs no etcd, while every etcd endpoint that node would use
// is loopback. Its flanneld dials 127.0.0.1 and finds nothing there, as every worker of the setup
// guide does (its etcd listens on 127.0.0.1 only). Pure; no SSH.
import type { RawProblem } from '../problems.js';
import type { Inventory } from '../types.js';

// Loopback as an etcd client URL names it: 127.0.0.0/8, localhost, ::1.
export function isLoopbackUrl(url: string): boolean {
  try {
    return /^(127\.|localhost$|\[?::1\]?$)/.test(new URL(url).hostname.toLowerCase());
  } catch {
    return false;
  }
}

export function flannelEtcdReachRule(inv: Inventory): RawProblem[] {
  // No etcd node at all is its own problem (rules/cluster.ts): one cause, one message.
  if (inv.cluster.flannel.enabled !== true || !inv.nodes.some((n) => n.roles.includes('etcd'))) return [];
  const out: RawProblem[] = [];
  inv.nodes.forEach((node, i) => {
    if (node.roles.includes('etcd')) return;
    const own = node.etcd?.endpoints;
    const endpoints = own?.length ? own : inv.cluster.etcd.endpoints;
    if (!endpoints.length || !endpoints.every(isLoopbackUrl)) return;
    const field = own?.length ? `nodes[${i}].etcd.endpoints` : 'cluster.etcd.endpoints';
    out.push({
      path: own?.length ? ['nodes', i, 'etcd', 'endpoints'] : ['nodes', i],
      message:
        `${node.name} runs flannel but no etcd, and every etcd endpoint it would use is loopback (${endpoints.join(', ')} from ${field}): ` +
        `its flanneld cannot reach etcd. Make etcd listen on the etcd node's address (listen_client_urls) and list that URL in ` +
        `${own?.length ? `nodes[${i}].etcd.endpoints` : 'cluster.etcd.endpoints (keep 127.0.0.1 in the etcd node\'s own etcd.endpoints if you like)'}`,
    });
  });
  return out;
}
