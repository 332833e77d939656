// What `render` needs of an inventory beyond what `lint` checks: each problem names the field
// to change, so the inventory is fixed once for both render and verify. Pure.
import type { Inventory } from '../inventory/types.js';
import type { RawProblem } from '../inventory/problems.js';
import { isEtcdNode, memberAddress, memberName } from './etcd.js';
import { etcdPrefix, flannelOn } from './flannel.js';
import { kubernetesProblems } from './validate-kubernetes.js';

// RFC 1123 host name, as systemd-hostnamed accepts it for /etc/hostname.
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

const UNIT = /^[A-Za-z0-9:_.\\@-]+\.(service|socket|target|timer|path|mount|automount|swap|slice|scope|device)$/;

export function renderProblems(inv: Inventory): RawProblem[] {
  const out: RawProblem[] = [];
  const members = new Map<string, number>();
  inv.nodes.forEach((node, i) => {
    if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(node.name)) {
      out.push({ path: ['nodes', i, 'name'], message: `render writes ${node.name}.ign: a node name must be a plain file name (letters, digits, . _ -)` });
    }
    if (!HOSTNAME.test(node.hostname)) {
      out.push({ path: ['nodes', i, node.hostname === node.name ? 'name' : 'hostname'], message: `'${node.hostname}' is not a valid host name for /etc/hostname (letters, digits, - and . only)` });
    }
    if (isEtcdNode(node)) {
      if (memberAddress(node) === undefined) {
        out.push({ path: ['nodes', i, 'host'], message: `etcd binds to an IP address, and ${node.name} has none: give it network.address (or an IPv4 host)` });
      }
      const name = memberName(node);
      const namePath = ['nodes', i, ...(node.etcd?.name === undefined ? ['name'] : ['etcd', 'name'])];
      if (/[,=]/.test(name)) out.push({ path: namePath, message: `etcd member name '${name}' must not contain , or = (ETCD_INITIAL_CLUSTER is name=url,…); set nodes[${i}].etcd.name` });
      const owner = members.get(name);
      if (owner !== undefined) out.push({ path: namePath, message: `etcd member name '${name}' is already the member name of nodes[${owner}]` });
      else members.set(name, i);
    }
    // flanneld on a node without etcd that reaches etcd only on loopback: lint's rule
    // (inventory/rules/flannel-etcd.ts), which render applies before its own.
  });
  const https = [...inv.cluster.etcd.endpoints, ...inv.nodes.flatMap((n) => n.etcd?.endpoints ?? [])].filter((e) => e.startsWith('https:'));
  if (https.length > 0 && inv.nodes.some(isEtcdNode)) {
    out.push({ path: ['cluster', 'etcd', 'endpoints'], message: `render writes etcd with plain http (it has no server certificates to give it), but ${https[0]} is https: use http:// endpoints, or provision etcd's TLS yourself` });
  }
  const services = inv.cluster.services;
  for (const role of ['all', 'etcd', 'master', 'worker'] as const) {
    services?.[role].forEach((unit, j) => {
      if (!UNIT.test(unit)) out.push({ path: ['cluster', 'services', role, j], message: `'${unit}' is not a systemd unit name (e.g. kubelet.service): render enables it by that name` });
    });
  }
  const f = inv.cluster.flannel;
  if (flannelOn(inv) && f.configKey !== undefined && etcdPrefix(f.configKey) === undefined) {
    out.push({ path: ['cluster', 'flannel', 'configKey'], message: `flanneld reads <prefix>/config, so ${f.configKey} cannot be its config key: end it in /config` });
  }
  if (f.configDropin === true && (f.network === undefined || !flannelOn(inv))) {
    out.push({ path: ['cluster', 'flannel', 'configDropin'], message: 'the config drop-in writes cluster.flannel.network, which is not set (or flannel is off)' });
  }
  return [...out, ...kubernetesProblems(inv)];
}
