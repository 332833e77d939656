// etcd on the etcd nodes, as Container Linux / Flatcar run it: etcd-member.service configured by
// ct's drop-in name, 20-clct-etcd-member.conf, with one ETCD_* variable per setting.
import { createHash } from 'node:crypto';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { formatIPv4, parseCidr, parseIPv4 } from '../util/ipv4.js';
import type { EtcdMember, NamedText } from './model.js';
import { environmentLine, unitFile } from './systemd-text.js';

export const ETCD_UNIT = 'etcd-member.service';
export const ETCD_DROPIN = '20-clct-etcd-member.conf';
export const CLIENT_PORT = 2379;
export const PEER_PORT = 2380;

export const isEtcdNode = (n: NodeSpec): boolean => n.roles.includes('etcd');

// The IPv4 address a member listens and peers on: the inventory's network address, else an
// IPv4 host. etcd binds listen URLs to IP addresses only, so a DNS name will not do.
export function memberAddress(node: NodeSpec): string | undefined {
  const fromNetwork = node.network ? parseCidr(node.network.address) : undefined;
  if (fromNetwork !== undefined) return formatIPv4(fromNetwork.address);
  return parseIPv4(node.host) === undefined ? undefined : node.host;
}

export const memberName = (node: NodeSpec): string => node.etcd?.name ?? node.name;

// name=peerURL for every etcd node, in inventory order.
export function initialCluster(inventory: Inventory): string {
  return inventory.nodes
    .filter(isEtcdNode)
    .map((n) => `${memberName(n)}=http://${memberAddress(n) ?? n.host}:${PEER_PORT}`)
    .join(',');
}

// The inventory's token, else one derived from the initial cluster: stable for one cluster,
// different for another, so two clusters on one network never join each other by mistake.
export function clusterToken(inventory: Inventory): string {
  return inventory.cluster.etcd.initialClusterToken ?? derivedToken(initialCluster(inventory));
}

// The token render writes when the inventory gives none (import leaves exactly this one out).
export const derivedToken = (initialClusterText: string): string => `clusterctl-${createHash('sha256').update(initialClusterText).digest('hex').slice(0, 12)}`;

// flannel below 0.18 reads only the v2 keyspace (issue 10): serve it when flannel may need it.
export function needsV2(inventory: Inventory): boolean {
  const f = inventory.cluster.flannel;
  return f.enabled === true && f.etcdApi !== 'v3';
}

export function etcdMember(node: NodeSpec, inventory: Inventory): EtcdMember {
  const addr = memberAddress(node) ?? node.host;
  const client = `http://${addr}:${CLIENT_PORT}`;
  const peer = `http://${addr}:${PEER_PORT}`;
  return {
    name: memberName(node),
    // Loopback too: etcdctl on the node and the guide's http://127.0.0.1:2379 keep working.
    listenClientUrls: addr === '127.0.0.1' ? client : `${client},http://127.0.0.1:${CLIENT_PORT}`,
    advertiseClientUrls: client,
    listenPeerUrls: peer,
    initialAdvertisePeerUrls: peer,
    initialCluster: initialCluster(inventory),
    initialClusterToken: clusterToken(inventory),
    initialClusterState: 'new',
    enableV2: needsV2(inventory),
  };
}

// The drop-in Ignition writes. ct ≥ v0.2.0 (commit b46036e) puts the same settings on an overriding ExecStart= of
// /usr/lib/coreos/etcd-wrapper; Environment= lines work with any ExecStart (Flatcar's unit,
// the lab's stand-in) and are read back by `systemctl show -p Environment`.
export function etcdDropin(m: EtcdMember): NamedText {
  const lines = [
    environmentLine('ETCD_NAME', m.name),
    environmentLine('ETCD_LISTEN_CLIENT_URLS', m.listenClientUrls),
    environmentLine('ETCD_ADVERTISE_CLIENT_URLS', m.advertiseClientUrls),
    environmentLine('ETCD_LISTEN_PEER_URLS', m.listenPeerUrls),
    environmentLine('ETCD_INITIAL_ADVERTISE_PEER_URLS', m.initialAdvertisePeerUrls),
    environmentLine('ETCD_INITIAL_CLUSTER', m.initialCluster),
    environmentLine('ETCD_INITIAL_CLUSTER_TOKEN', m.initialClusterToken),
    environmentLine('ETCD_INITIAL_CLUSTER_STATE', m.initialClusterState),
    ...(m.enableV2 ? [environmentLine('ETCD_ENABLE_V2', 'true')] : []),
  ];
  return { name: ETCD_DROPIN, contents: unitFile([{ name: 'Service', lines }]) };
}
