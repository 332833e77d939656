// Schema output → the normalized Inventory every other layer reads: defaults merged into each
// node, hostname defaulted, file paths made absolute.
import * as path from 'node:path';
import type { Inventory, NodeSpec } from './types.js';
import type { DefaultsInput, InventoryInput, NodeInput } from './schema.js';

// "~" and "~/x" are the user's home; other relative paths are relative to the inventory file,
// so an inventory kept next to its keys works from any working directory.
export function expandPath(p: string, home: string, baseDir: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return path.resolve(baseDir, p);
}

function normalizeNode(n: NodeInput, d: DefaultsInput, home: string, baseDir: string): NodeSpec {
  const identityFile = n.identityFile ?? d.identityFile;
  const spec: NodeSpec = {
    name: n.name,
    host: n.host,
    port: n.port ?? d.port,
    user: n.user ?? d.user,
    knownHostsFile: expandPath(n.knownHostsFile ?? d.knownHostsFile, home, baseDir),
    strictHostKeyChecking: n.strictHostKeyChecking ?? d.strictHostKeyChecking,
    roles: [...new Set(n.roles)],
    hostname: n.hostname ?? n.name,
  };
  if (identityFile !== undefined) spec.identityFile = expandPath(identityFile, home, baseDir);
  if (n.etcd) spec.etcd = { endpoints: [...n.etcd.endpoints] };
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
  const { network, subnetLen, etcdApi, configKey } = input.cluster.flannel;
  const services = input.cluster.services ?? {};
  return {
    path: abs,
    cluster: {
      etcd: { ...input.cluster.etcd, endpoints: [...input.cluster.etcd.endpoints] }, // TLS paths are on the nodes: not expanded
      flannel: { etcdApi, configKey, ...(network === undefined ? {} : { network }), ...(subnetLen === undefined ? {} : { subnetLen }) },
      // The memo's units: flanneld everywhere, etcd-member on etcd nodes; kubelet only on request.
      services: {
        all: [...(services.all ?? ['flanneld.service'])],
        etcd: [...(services.etcd ?? ['etcd-member.service'])],
        master: [...(services.master ?? [])],
        worker: [...(services.worker ?? [])],
      },
    },
    nodes: input.nodes.map((n) => normalizeNode(n, input.defaults, home, baseDir)),
  };
}
