// Every file's node → one inventory draft: names, roles and hosts (with the flags), the etcd
// cluster, flannel and services, and a problem for each contradiction between files (two nodes
// with one address, a member of an initial cluster that no file defines, two flannel Networks …).
// Pure.
import { createHash } from 'node:crypto';
import type { NetworkSpec, Role } from '../inventory/types.js';
import { DEFAULT_FLANNEL_KEY } from '../inventory/schema.js';
import { flannelReads } from '../flannel/keyspace.js';
import type { ImportedNode } from './node.js';
import type { ImportProblem } from './problem.js';
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
    flannel?: { network?: string; subnetLen?: number; etcdApi?: 'v3'; configKey?: string; configDropin?: boolean };
    services?: ServiceLists;
  };
  nodes: DraftNode[];
  warnings: string[];
}

const ipOf = (cidr: string) => cidr.split('/')[0] ?? cidr;
const sameList = (a?: readonly string[], b?: readonly string[]) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const at = (n: ImportedNode, w = n.etcd?.where ?? n.flannel?.where) => w ?? { file: n.file };

// One value every node that says it agrees on; a problem naming both files at the first that differs.
function agreed<T>(nodes: readonly ImportedNode[], value: (n: ImportedNode) => T | undefined, what: string, problems: ImportProblem[], show: (v: T) => string = String): T | undefined {
  let first: { v: T; n: ImportedNode } | undefined;
  for (const n of nodes) {
    const v = value(n);
    if (v === undefined) continue;
    if (!first) first = { v, n };
    else if (show(v) !== show(first.v)) problems.push({ ...at(n), message: `${what} is ${show(v)} here, but ${show(first.v)} in ${first.n.file}: the configs must agree` });
  }
  return first?.v;
}

function etcdProblems(nodes: readonly ImportedNode[], problems: ImportProblem[], partial: boolean): void {
  const members = nodes.filter((n) => n.etcd);
  for (const n of members) {
    for (const m of n.etcd?.initialCluster ?? []) {
      const byName = members.find((x) => (x.etcd?.name ?? x.name) === m.name && x.etcd?.name !== undefined);
      const byUrl = members.find((x) => x.etcd?.peerUrls.includes(m.url));
      if (!byName && !byUrl) {
        if (partial) continue;
        problems.push({ ...at(n), message: `the initial cluster names member ${m.name} (${m.url}), which no imported file defines: import every etcd node's config together, or correct initial_cluster` });
      } else if (byName && !byName.etcd?.peerUrls.includes(m.url)) {
        problems.push({ ...at(n), message: `the initial cluster has ${m.name} at ${m.url}, but ${byName.file} has member ${m.name} peer at ${byName.etcd?.peerUrls.join(',') || 'no initial_advertise_peer_urls'}` });
      }
    }
  }
  agreed(members, (n) => n.etcd?.initialCluster, 'the etcd initial cluster', problems, (v) => v.map((m) => `${m.name}=${m.url}`).sort().join(','));
  const names = new Map<string, ImportedNode>();
  for (const n of members) {
    const name = n.etcd?.name;
    if (name === undefined) continue;
    const owner = names.get(name);
    if (owner) problems.push({ ...at(n), message: `etcd member name ${name} is also the member name in ${owner.file}` });
    else names.set(name, n);
  }
}

// The endpoints most flanneld units dial (first seen wins a tie), else the members' client URLs.
function clusterEndpoints(nodes: readonly ImportedNode[]): string[] | undefined {
  const counts = new Map<string, { list: string[]; count: number }>();
  for (const n of nodes) {
    const e = n.flannel?.endpoints;
    if (!e) continue;
    const k = e.join(',');
    counts.set(k, { list: e, count: (counts.get(k)?.count ?? 0) + 1 });
  }
  const best = [...counts.values()].reduce<{ list: string[]; count: number } | undefined>((a, b) => (!a || b.count > a.count ? b : a), undefined);
  if (best) return best.list;
  const advertised = [...new Set(nodes.flatMap((n) => n.etcd?.advertiseClientUrls ?? []))];
  return advertised.length ? advertised : undefined;
}

function flannelDraft(nodes: readonly ImportedNode[], problems: ImportProblem[]): Draft['cluster']['flannel'] {
  const fl = nodes.filter((n) => n.flannel);
  const prefix = agreed(fl, (n) => n.flannel?.prefix ?? '/coreos.com/network', 'the flannel etcd prefix (FLANNELD_ETCD_PREFIX / --etcd-prefix)', problems);
  const key = `${(prefix ?? '/coreos.com/network').replace(/\/+$/, '')}/config`;
  for (const n of fl) {
    const c = n.flannel?.config;
    if (c && c.key !== `${(n.flannel?.prefix ?? '/coreos.com/network').replace(/\/+$/, '')}/config`) {
      problems.push({ ...at(n, n.flannel?.where), message: `${c.from} writes ${c.key}, but flanneld reads ${n.flannel?.prefix}/config (its etcd prefix is ${n.flannel?.prefix}): the value never reaches it` });
    }
  }
  const network = agreed(fl, (n) => n.flannel?.config?.network, 'the flannel Network', problems);
  const subnetLen = agreed(fl, (n) => n.flannel?.config?.subnetLen, 'the flannel SubnetLen', problems);
  const versions = fl.map((n) => n.flannel?.version);
  const v3 = (versions.length > 0 && versions.every((v) => v && flannelReads(v) === 'v3')) || fl.some((n) => n.flannel?.config?.api === 'v3');
  return {
    ...(network === undefined ? {} : { network }),
    ...(subnetLen === undefined ? {} : { subnetLen }),
    ...(v3 ? { etcdApi: 'v3' as const } : {}),
    ...(key === DEFAULT_FLANNEL_KEY ? {} : { configKey: key }),
    ...(fl.some((n) => n.flannel?.config) ? { configDropin: true } : {}),
  };
}

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

// `partial`: some files could not be read, so a member no file defines may be in one of them.
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
  const derived = clusterText && `clusterctl-${createHash('sha256').update(clusterText).digest('hex').slice(0, 12)}`;
  const flannelOn = nodes.some((n) => n.flannel);
  for (const n of nodes) {
    if (n.flannel?.nullSection) warnings.push(`${n.file}${n.flannel.where.line ? `:${n.flannel.where.line}` : ''}: \`flannel: ~\` is an empty section: ct writes no flanneld drop-in for it and does not enable flanneld (write \`flannel: {}\` or give etcd_endpoints); import takes it as the setup guide means it: flannel runs`);
  }
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
