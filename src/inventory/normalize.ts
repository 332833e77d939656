// Schema output → the normalized Inventory every other layer reads: defaults merged into each
// node, hostname defaulted, file paths made absolute.
import * as path from 'node:path';
import type { BastionSpec, Inventory, NodeSpec, SshSetting } from './types.js';
import { DEFAULT_FLANNEL_KEY, DEFAULT_KNOWN_HOSTS } from './schema.js';
import type { DefaultsInput, InventoryInput, NodeInput } from './schema.js';

// "~" and "~/x" are the user's home; other relative paths are relative to the inventory file,
// so an inventory kept next to its keys works from any working directory.
export function expandPath(p: string, home: string, baseDir: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return path.resolve(baseDir, p);
}

// Built-in connection defaults, used only where neither the node nor `defaults:` (nor, later,
// ~/.ssh/config) says otherwise.
const BUILTIN = { user: 'core', port: 22, knownHostsFile: DEFAULT_KNOWN_HOSTS, strictHostKeyChecking: 'yes' } as const;

// The name the kubelet registers its Node under: the node's own setting, else its hostname
// lowercased (the kubelet lowercases it). Only masters and workers of a Kubernetes inventory have one.
function kubernetesOf(n: NodeInput, hostname: string, kubeOn: boolean): NodeSpec['kubernetes'] {
  if (!kubeOn || !n.roles.some((r) => r === 'master' || r === 'worker')) return undefined;
  return { nodeName: n.kubernetes?.nodeName ?? hostname.toLowerCase() };
}

function normalizeNode(n: NodeInput, d: DefaultsInput, home: string, baseDir: string, kubeOn: boolean): NodeSpec {
  const identityFile = n.identityFile ?? d.identityFile;
  const known = n.knownHostsFile ?? d.knownHostsFile ?? BUILTIN.knownHostsFile;
  const unset: SshSetting[] = (['user', 'port', 'identityFile', 'knownHostsFile', 'strictHostKeyChecking'] as const).filter(
    (k) => n[k] === undefined && d[k] === undefined,
  );
  const spec: NodeSpec = {
    name: n.name,
    host: n.host,
    port: n.port ?? d.port ?? BUILTIN.port,
    user: n.user ?? d.user ?? BUILTIN.user,
    knownHostsFile: typeof known === 'string' ? expandPath(known, home, baseDir) : known.map((f) => expandPath(f, home, baseDir)),
    strictHostKeyChecking: n.strictHostKeyChecking ?? d.strictHostKeyChecking ?? BUILTIN.strictHostKeyChecking,
    roles: [...new Set(n.roles)],
    hostname: n.hostname ?? n.name,
    become: n.become ?? d.become ?? 'none',
  };
  if (identityFile !== undefined) spec.identityFile = expandPath(identityFile, home, baseDir);
  if (n.etcd) {
    spec.etcd = {
      ...(n.etcd.endpoints === undefined ? {} : { endpoints: [...n.etcd.endpoints] }),
      ...(n.etcd.name === undefined ? {} : { name: n.etcd.name }),
    };
  }
  const keys = n.sshAuthorizedKeys ?? d.sshAuthorizedKeys;
  if (keys !== undefined) spec.sshAuthorizedKeys = [...keys];
  const keysFile = n.sshAuthorizedKeysFile ?? d.sshAuthorizedKeysFile;
  if (keysFile !== undefined) spec.sshAuthorizedKeysFile = expandPath(keysFile, home, baseDir);
  const bastion = n.bastion ?? d.bastion;
  if (bastion !== undefined) {
    const b: BastionSpec = { host: bastion.host };
    if (bastion.port !== undefined) b.port = bastion.port;
    if (bastion.user !== undefined) b.user = bastion.user;
    if (bastion.identityFile !== undefined) b.identityFile = expandPath(bastion.identityFile, home, baseDir);
    spec.bastion = b;
  }
  if (unset.length > 0) spec.unsetSsh = unset;
  const kubernetes = kubernetesOf(n, spec.hostname, kubeOn);
  if (kubernetes) spec.kubernetes = kubernetes;
  if (n.network) {
    const { gateway, ...rest } = n.network;
    spec.network = {
      ...rest,
      dns: [...rest.dns],
      routes: rest.routes.map((r) => ({ ...r })),
      ...(gateway === undefined ? {} : { gateway }),
    };
  }
  return spec;
}

export function normalize(input: InventoryInput, file: string, home: string): Inventory {
  const abs = path.resolve(file);
  const baseDir = path.dirname(abs);
  // An inventory that describes flannel gets it checked; one without a flannel section does not.
  const { network, subnetLen, etcdApi = 'auto', configKey = DEFAULT_FLANNEL_KEY, enabled, configDropin, datapathPeers } = input.cluster.flannel ?? {};
  const flannelOn = enabled ?? input.cluster.flannel !== undefined;
  const services = input.cluster.services;
  const kube = input.cluster.kubernetes;
  return {
    path: abs,
    cluster: {
      etcd: { ...input.cluster.etcd, endpoints: [...input.cluster.etcd.endpoints] }, // TLS paths are on the nodes: not expanded
      flannel: { enabled: flannelOn, etcdApi, configKey, ...(network === undefined ? {} : { network }), ...(subnetLen === undefined ? {} : { subnetLen }), ...(configDropin === undefined ? {} : { configDropin }), ...(datapathPeers === undefined ? {} : { datapathPeers }) },
      // The setup guide's units: flanneld everywhere, etcd-member on etcd nodes; kubelet only on request.
      ...(services === undefined && !flannelOn
        ? {}
        : {
            services: {
              all: [...(services?.all ?? (flannelOn ? ['flanneld.service'] : []))],
              etcd: [...(services?.etcd ?? ['etcd-member.service'])],
              master: [...(services?.master ?? [])],
              worker: [...(services?.worker ?? [])],
            },
          }),
      ...(kube === undefined
        ? {}
        : {
            kubernetes: {
              pkiDir: kube.pkiDir,
              serviceClusterIpRange: kube.serviceClusterIpRange,
              ...(kube.kubeconfig === undefined ? {} : { kubeconfig: expandPath(kube.kubeconfig, home, baseDir) }),
            },
          }),
    },
    nodes: input.nodes.map((n) => normalizeNode(n, input.defaults, home, baseDir, kube !== undefined)),
  };
}
