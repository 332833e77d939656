// Every file's node → one inventory draft: names, roles and hosts (with the flags), the etcd
// cluster, flannel and services, and a problem for each contradiction between files (two nodes
// with one address, a member of an initial cluster that no file defines, two flannel Networks …).
// Pure.
import type { NetworkSpec, Role } from '../inventory/types.js';
import { derivedToken } from '../render/etcd.js';
import type { ImportedNode } from './node.js';
import type { ImportProblem } from './problem.js';
import { agreed } from './agree.js';
import { clusterEndpoints, etcdProblems } from './cluster-etcd.js';
import { flannelDraft } from './cluster-flannel.js';
import type { FlannelDraft } from './cluster-flannel.js';
import { deriveServices } from './services.js';
import type { ServiceLists } from './services.js';

export interface ImportFlags {
  roles?: ReadonlyMap<string, readonly Role[]>; // --role master=a,b → a: [master], b: [master]
  hosts?: ReadonlyMap<string, string>; // --host a=198.18.1.10
  // How to connect, which no config says (identityFile, knownHostsFile, become …): written under
  // defaults: as given, e.g. by `verify --from` from its flags or another inventory's defaults:.
  connection?: Readonly<Record<string, unknown>>;
}

export interface DraftNode {
  file: string;
  name: string;
  host: string;
  hostFrom: 'address' | 'flag';
  roles: Role[];
  hostname?: string;
  user?: string;
  sshAuthorizedKeys?: string[];
  etcd?: { name?: string; endpoints?: string[] };
  network?: NetworkSpec;
  notes: string[];
}

export interface Draft {
  defaults: Record<string, unknown> & { user?: string; sshAuthorizedKeys?: string[] };
  cluster: {
    etcd: { endpoints?: string[]; caFile?: string; certFile?: string; keyFile?: string; initialClusterToken?: string };
    flannel?: FlannelDraft;
    services?: ServiceLists;
  };
  nodes: DraftNode[];
  warnings: string[];
}

const ipOf = (cidr: string) => cidr.split('/')[0] ?? cidr;
const sameList = (a?: readonly string[], b?: readonly string[]) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function claimUnique(nodes: readonly ImportedNode[], value: (n: ImportedNode) => string | undefined, what: string, problems: ImportProblem[]): void {
  const owners = new Map<string, ImportedNode>();
  for (const n of nodes) {
    const v = value(n);
    if (v === undefined) continue;
    const o = owners.get(v.toLowerCase());
    if (!o) {
      owners.set(v.toLowerCase(), n);
      continue;
    }
    // render --format clc's directory, once ct has run, holds <node>.clc.yaml and <node>.ign.
    const hint = what.startsWith('node name') && o.file.replace(/\.[^/]*$/, '') === n.file.replace(/\.[^/]*$/, '').replace(/\.clc$/, '') ? '; these look like one node\'s CLC and its ct output: import one of them' : '';
    problems.push({ ...(n.networkWhere && what === 'address' ? n.networkWhere : { file: n.file }), message: `${what} ${v} is also ${o.name}'s (${o.file}): two nodes cannot share it${hint}` });
  }
}

export function mergeNodes(nodes: readonly ImportedNode[], flags: ImportFlags, partial = false): { draft: Draft; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const warnings: string[] = [];
  claimUnique(nodes, (n) => n.name, 'node name (from the file name)', problems);
  // A second file of one node (its CLC and ct's output) repeats everything: one problem is enough.
  const distinct = nodes.filter((n, i) => nodes.findIndex((x) => x.name === n.name) === i);
  claimUnique(distinct, (n) => n.network && ipOf(n.network.address), 'address', problems);
  claimUnique(distinct, (n) => n.hostname, 'hostname', problems);
  for (const [flag, map] of partial ? [] : ([['--role', flags.roles], ['--host', flags.hosts]] as const)) {
    for (const name of map?.keys() ?? []) {
      if (!nodes.some((n) => n.name === name)) problems.push({ file: flag, message: `${flag} names ${name}, which is none of the imported nodes (${nodes.map((n) => n.name).join(', ')})` });
    }
  }
  etcdProblems(distinct, problems, partial);
  const endpoints = clusterEndpoints(nodes);
  const tls = (k: 'caFile' | 'certFile' | 'keyFile') => agreed(nodes, (n) => n.flannel?.[k], `the etcd client ${k}`, problems);
  const [caFile, certFile, keyFile] = [tls('caFile'), tls('certFile'), tls('keyFile')];
  const token = agreed(nodes, (n) => n.etcd?.token, 'the etcd initial cluster token', problems);
  const clusterText = nodes.find((n) => n.etcd?.initialClusterText)?.etcd?.initialClusterText;
  // render derives a token from the initial cluster when the inventory gives none (render/etcd.ts).
  const derived = clusterText && derivedToken(clusterText);
  const flannelOn = nodes.some((n) => n.flannel);
  const draftNodes: DraftNode[] = nodes.map((n) => {
    const roles = [...new Set<Role>([...(n.etcd ? ['etcd' as const] : []), ...(flags.roles?.get(n.name) ?? [])])];
    const flagHost = flags.hosts?.get(n.name);
    const host = flagHost ?? (n.network ? ipOf(n.network.address) : undefined);
    if (host === undefined && !n.networkBroken) problems.push({ file: n.file, message: `${n.name} has no static address in its config to SSH to: give one with --host ${n.name}=ADDRESS` });
    if (roles.length === 0) problems.push({ file: n.file, message: `${n.name} runs no etcd member and has no role: give it one with --role worker=${n.name} (or master=${n.name})` });
    const notes = [...n.notes];
    if (n.etcd && n.etcd.name === undefined) notes.push('etcd.name: the config sets no member name (etcd names it after the machine id)');
    const ownEndpoints = n.flannel?.endpoints && !sameList(n.flannel.endpoints, endpoints) ? n.flannel.endpoints : undefined;
    const memberName = n.etcd?.name !== undefined && n.etcd.name !== n.name ? n.etcd.name : undefined;
    return {
      file: n.file,
      name: n.name,
      host: host ?? '',
      hostFrom: flagHost ? 'flag' : 'address',
      roles,
      ...(n.hostname !== undefined && n.hostname !== n.name ? { hostname: n.hostname } : {}),
      ...(n.user ? { user: n.user.name, sshAuthorizedKeys: n.user.keys } : {}),
      ...(memberName || ownEndpoints ? { etcd: { ...(memberName ? { name: memberName } : {}), ...(ownEndpoints ? { endpoints: ownEndpoints } : {}) } } : {}),
      ...(n.network ? { network: n.network } : {}),
      notes,
    };
  });
  const svc = deriveServices(draftNodes.map((d, i) => ({ roles: d.roles, enabled: nodes[i]?.enabled ?? [] })), flannelOn);
  for (const [i, units] of svc.unexplained) draftNodes[i]?.notes.push(`services: it also enables ${units.join(', ')}, which cluster.services cannot expect of this node alone`);
  // Keys (and a login user other than core) every node shares go to defaults:.
  const defaults: Draft['defaults'] = { ...(flags.connection ?? {}) };
  const first = draftNodes[0];
  if (first?.sshAuthorizedKeys?.length && draftNodes.every((d) => sameList(d.sshAuthorizedKeys, first.sshAuthorizedKeys))) {
    defaults.sshAuthorizedKeys = first.sshAuthorizedKeys;
    for (const d of draftNodes) delete d.sshAuthorizedKeys;
  }
  if (first?.user !== undefined && draftNodes.every((d) => d.user === first.user)) {
    if (first.user !== 'core') defaults.user = first.user;
    for (const d of draftNodes) delete d.user;
  }
  for (const d of draftNodes) if (d.user === 'core') delete d.user;
  return {
    draft: {
      defaults,
      cluster: {
        etcd: {
          ...(endpoints ? { endpoints } : {}),
          ...(caFile ? { caFile } : {}),
          ...(certFile ? { certFile } : {}),
          ...(keyFile ? { keyFile } : {}),
          ...(token && token !== derived ? { initialClusterToken: token } : {}),
        },
        ...(flannelOn ? { flannel: flannelDraft(nodes, problems) } : {}),
        ...(svc.services ? { services: svc.services } : {}),
      },
      nodes: draftNodes,
      warnings,
    },
    problems,
  };
}
