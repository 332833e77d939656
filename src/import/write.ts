// The draft → inventory YAML: the inventory's usual key order, nodes in the order of the input
// files, a comment per node naming its file, and a commented note for each thing the configs do
// not say (never a guessed value). The text is what `clusterctl lint` then reads. Pure.
import { Document, isMap, isScalar, isSeq } from 'yaml';
import type { YAMLMap } from 'yaml';
import type { Draft, DraftNode } from './cluster.js';

const FLOW = ['roles', 'dns', 'endpoints'];

function nodeObject(d: DraftNode): Record<string, unknown> {
  return {
    name: d.name,
    host: d.host,
    roles: d.roles,
    ...(d.hostname === undefined ? {} : { hostname: d.hostname }),
    ...(d.user === undefined ? {} : { user: d.user }),
    ...(d.sshAuthorizedKeys ? { sshAuthorizedKeys: d.sshAuthorizedKeys } : {}),
    ...(d.etcd ? { etcd: d.etcd } : {}),
    ...(d.network
      ? {
          network: {
            interface: d.network.interface,
            address: d.network.address,
            ...(d.network.gateway === undefined ? {} : { gateway: d.network.gateway }),
            ...(d.network.dns.length ? { dns: d.network.dns } : {}),
            ...(d.network.routes.length ? { routes: d.network.routes } : {}),
            ...(d.network.ipv6AcceptRA ? { ipv6AcceptRA: true } : {}),
          },
        }
      : {}),
  };
}

// Short lists on one line, as inventory.example.yaml writes them.
function flowLists(node: unknown): void {
  if (isMap(node)) {
    for (const p of node.items) {
      const key = isScalar(p.key) ? String(p.key.value) : '';
      if (isSeq(p.value) && FLOW.includes(key)) p.value.flow = true;
      flowLists(p.value);
    }
  } else if (isSeq(node)) node.items.forEach(flowLists);
}

const comment = (lines: readonly string[]) => lines.map((l) => ` ${l}`).join('\n');

export function inventoryText(draft: Draft, files: readonly string[]): string {
  const etcd = draft.cluster.etcd;
  const cluster = {
    ...(Object.keys(etcd).length ? { etcd } : {}),
    ...(draft.cluster.flannel ? { flannel: draft.cluster.flannel } : {}),
    ...(draft.cluster.services ? { services: draft.cluster.services } : {}),
  };
  const doc = new Document({
    ...(Object.keys(draft.defaults).length ? { defaults: draft.defaults } : {}),
    ...(Object.keys(cluster).length ? { cluster } : {}),
    nodes: draft.nodes.map(nodeObject),
  });
  doc.commentBefore = comment([
    `clusterctl inventory imported by \`clusterctl import\` from ${files.length} config${files.length === 1 ? '' : 's'}.`,
    'Each node names the file it came from; "not in the config" notes mark what the configs do not say.',
  ]);
  flowLists(doc.contents);
  const seq = doc.get('nodes', true);
  if (isSeq(seq)) {
    seq.items.forEach((item, i) => {
      const d = draft.nodes[i];
      if (!d || !isMap(item)) return;
      const map = item as YAMLMap;
      if (i > 0) map.spaceBefore = true;
      map.commentBefore = comment([`from ${d.file}`, ...d.notes.map((n) => `  ${n}`)]);
      const host = map.get('host', true);
      if (isScalar(host)) host.comment = d.hostFrom === 'flag' ? ' from --host' : ' the static address; to SSH elsewhere, import with --host NAME=ADDRESS';
      const roles = map.get('roles', true);
      if (isSeq(roles) && !d.roles.some((r) => r === 'master' || r === 'worker')) roles.comment = ` master or worker: not in the config (import with --role master=${d.name} or worker=${d.name})`;
    });
  }
  const clusterNode = doc.get('cluster', true);
  const flannel = isMap(clusterNode) ? clusterNode.items.find((p) => isScalar(p.key) && p.key.value === 'flannel') : undefined;
  if (flannel && isScalar(flannel.key) && draft.cluster.flannel?.network === undefined) {
    flannel.key.commentBefore = ' flannel.network: not in the configs (no drop-in writes the config key); add it to have verify check the Network';
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
