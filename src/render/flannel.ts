// flanneld's etcd client settings, as ct writes them for `flannel:` (drop-in 20-clct-flannel.conf),
// and, only when the inventory asks, the setup guide's drop-in that writes the config key.
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { FlannelClient, NamedText } from './model.js';
import { environmentLine, execWord, unitFile } from './systemd-text.js';

export const FLANNEL_UNIT = 'flanneld.service';
export const FLANNEL_DROPIN = '20-clct-flannel.conf';
export const FLANNEL_CONFIG_DROPIN = '50-network-config.conf'; // the setup guide's name
export const DEFAULT_PREFIX = '/coreos.com/network';
// etcdApi v3 needs flannel ≥ 0.18 (the first to read the v3 keyspace); the wrappers of Container
// Linux and Flatcar run 0.11 and 0.14 unless FLANNEL_IMAGE_TAG says otherwise.
export const V3_FLANNEL_VERSION = '0.18.1';

export const flannelOn = (inventory: Inventory): boolean => inventory.cluster.flannel.enabled === true;

// flanneld reads <prefix>/config; the prefix of a key that does not end in /config is undefined.
export function etcdPrefix(configKey: string): string | undefined {
  return configKey.endsWith('/config') ? configKey.slice(0, -'/config'.length) : undefined;
}

// The endpoints this node's flanneld uses: the node's own, else the cluster's (as verify reads).
export const endpointsFor = (node: NodeSpec, inventory: Inventory): string[] => node.etcd?.endpoints ?? inventory.cluster.etcd.endpoints;

export function flannelClient(node: NodeSpec, inventory: Inventory): FlannelClient {
  const { caFile, certFile, keyFile } = inventory.cluster.etcd;
  const prefix = etcdPrefix(inventory.cluster.flannel.configKey ?? `${DEFAULT_PREFIX}/config`);
  return {
    ...(inventory.cluster.flannel.etcdApi === 'v3' ? { version: V3_FLANNEL_VERSION } : {}),
    etcdEndpoints: endpointsFor(node, inventory).join(','),
    ...(prefix === undefined || prefix === DEFAULT_PREFIX ? {} : { etcdPrefix: prefix }),
    ...(caFile === undefined ? {} : { etcdCaFile: caFile }),
    ...(certFile === undefined ? {} : { etcdCertFile: certFile }),
    ...(keyFile === undefined ? {} : { etcdKeyFile: keyFile }),
  };
}

// flanneld reads FLANNELD_<FLAG> for each --flag (flannel's flagutil.SetFlagsFromEnv); the
// version goes first, as ct writes it.
export function flannelDropin(f: FlannelClient): NamedText {
  const lines = [
    ...(f.version === undefined ? [] : [environmentLine('FLANNEL_IMAGE_TAG', `v${f.version}`)]),
    environmentLine('FLANNELD_ETCD_ENDPOINTS', f.etcdEndpoints),
    ...(f.etcdPrefix === undefined ? [] : [environmentLine('FLANNELD_ETCD_PREFIX', f.etcdPrefix)]),
    ...(f.etcdCaFile === undefined ? [] : [environmentLine('FLANNELD_ETCD_CAFILE', f.etcdCaFile)]),
    ...(f.etcdCertFile === undefined ? [] : [environmentLine('FLANNELD_ETCD_CERTFILE', f.etcdCertFile)]),
    ...(f.etcdKeyFile === undefined ? [] : [environmentLine('FLANNELD_ETCD_KEYFILE', f.etcdKeyFile)]),
  ];
  return { name: FLANNEL_DROPIN, contents: unitFile([{ name: 'Service', lines }]) };
}

// The flannel config JSON the inventory describes (Network, SubnetLen when given).
export function flannelConfigJson(inventory: Inventory): string | undefined {
  const { network, subnetLen } = inventory.cluster.flannel;
  if (network === undefined) return undefined;
  return JSON.stringify({ Network: network, ...(subnetLen === undefined ? {} : { SubnetLen: subnetLen }) });
}

// cluster.flannel.configDropin: the setup guide's ExecStartPre that writes the key at every
// start of flanneld, fixed to work whatever etcdctl's default API is. It overwrites a value
// set with `clusterctl flannel set` at the next restart, hence off unless asked for.
export function flannelConfigDropin(node: NodeSpec, inventory: Inventory): NamedText | undefined {
  const config = flannelConfigJson(inventory);
  if (inventory.cluster.flannel.configDropin !== true || config === undefined) return undefined;
  const { caFile, certFile, keyFile } = inventory.cluster.etcd;
  const key = inventory.cluster.flannel.configKey ?? `${DEFAULT_PREFIX}/config`;
  const endpoints = endpointsFor(node, inventory).join(',');
  // The keyspace flanneld reads: v3 only when the inventory says so (flannel >= 0.18).
  const v3 = inventory.cluster.flannel.etcdApi === 'v3';
  const tls = v3
    ? [caFile && `--cacert=${caFile}`, certFile && `--cert=${certFile}`, keyFile && `--key=${keyFile}`]
    : [caFile && `--ca-file=${caFile}`, certFile && `--cert-file=${certFile}`, keyFile && `--key-file=${keyFile}`];
  const argv = [
    '/usr/bin/env',
    v3 ? 'ETCDCTL_API=3' : 'ETCDCTL_API=2',
    '/usr/bin/etcdctl',
    `--endpoints=${endpoints}`,
    ...tls.filter((x): x is string => typeof x === 'string'),
    v3 ? 'put' : 'set',
    key,
    config,
  ];
  const line = `ExecStartPre=${argv.map(execWord).join(' ')}`;
  return { name: FLANNEL_CONFIG_DROPIN, contents: unitFile([{ name: 'Service', lines: [line] }]) };
}
