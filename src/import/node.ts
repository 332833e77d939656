// One config's node: name (the file's), hostname (/etc/hostname), the static network, the
// login user's keys, the etcd member, flannel, the units it enables and masks, and what
// Ignition writes. Each value says where it came from; what the config does not hold is a note
// for the written inventory, never a guess. Pure.
import type { NetworkSpec } from '../inventory/types.js';
import type { Provisioned } from '../inventory/provisioned.js';
import { NETWORKD_DIR } from '../render/model.js';
import { readEtcdMember } from './etcd.js';
import type { EtcdMemberFacts } from './etcd.js';
import { readFlannel } from './flannel.js';
import type { FlannelFacts } from './flannel.js';
import { readNetworkUnit } from './network.js';
import type { ImportProblem, Where } from './problem.js';
import { provisionedOf } from './provisioned.js';
import type { NodeSource, SourceText } from './source.js';

export interface ImportedNode {
  file: string;
  name: string;
  hostname?: string;
  network?: NetworkSpec;
  networkWhere?: Where;
  user?: { name: string; keys: string[] };
  etcd?: EtcdMemberFacts;
  flannel?: FlannelFacts;
  enabled: string[]; // units the config enables, in its order
  masked: string[];
  provisioned: Provisioned;
  notes: string[]; // for the written inventory: what the config does not say
  networkBroken?: boolean; // its .network unit had a problem (already reported)
}

// app-etcd-1.ign, app-etcd-1.clc.yaml, node.yaml, node.ign.json → the node's name.
export const nodeNameOf = (file: string): string =>
  (file.slice(file.lastIndexOf('/') + 1) || file).replace(/(\.clc)?\.(ya?ml|bu|json|ign)$/i, '').replace(/\.ign$/i, '') || file;

function hostnameOf(src: NodeSource, problems: ImportProblem[], notes: string[]): string | undefined {
  const f = [...src.files].reverse().find((x) => x.path === '/etc/hostname');
  if (!f) {
    notes.push('hostname: the config writes no /etc/hostname; verify expects the node name');
    return undefined;
  }
  if (!f.contents.known) {
    notes.push(`hostname: /etc/hostname is ${f.contents.why}; verify expects the node name`);
    return undefined;
  }
  const name = f.contents.bytes.toString('utf8').split('\n')[0]?.trim() ?? '';
  if (name === '' || /\s/.test(name)) problems.push({ ...f.where, message: `/etc/hostname holds ${JSON.stringify(f.contents.bytes.toString('utf8').slice(0, 60))}, not a host name` });
  return name || undefined;
}

// .network units: networkd.units (CLC, Ignition 2.x) and files under /etc/systemd/network (3.x),
// in the order networkd reads them (by file name); the first with a static IPv4 address counts.
function networkOf(src: NodeSource, problems: ImportProblem[], notes: string[]): { network: NetworkSpec; where: Where } | undefined {
  const units: SourceText[] = [
    ...src.networkd,
    ...src.files
      .filter((f) => f.path.startsWith(`${NETWORKD_DIR}/`) && f.path.endsWith('.network'))
      .map((f) => ({ name: f.path.slice(NETWORKD_DIR.length + 1), contents: f.contents.known ? f.contents.bytes.toString('utf8') : undefined, where: f.where })),
  ]
    .filter((u) => u.name.endsWith('.network'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const skipped: string[] = [];
  for (const u of units) {
    if (u.contents === undefined) {
      problems.push({ ...u.where, message: `${u.name} has no contents in the config: import needs the unit's text` });
      continue;
    }
    const r = readNetworkUnit(u.name, u.contents);
    if (r.kind === 'bad') {
      problems.push(...r.problems.map((message) => ({ ...u.where, message })));
      return undefined;
    }
    if (r.kind === 'none') {
      skipped.push(r.why);
      continue;
    }
    notes.push(...r.notes);
    return { network: r.network, where: u.where };
  }
  notes.push(`network: ${units.length ? skipped.join('; ') : 'the config has no .network unit'}; network checks are skipped`);
  return undefined;
}

// The login user: core (Container Linux's), else the one user the config gives keys.
function userOf(src: NodeSource): { name: string; keys: string[] } | undefined {
  const core = src.users.filter((u) => u.name === 'core');
  const withKeys = src.users.filter((u) => u.sshAuthorizedKeys.length > 0);
  const names = [...new Set(withKeys.map((u) => u.name))];
  const name = core.length ? 'core' : names.length === 1 ? names[0] : undefined;
  if (name === undefined) return undefined;
  const keys = [...new Set(src.users.filter((u) => u.name === name).flatMap((u) => u.sshAuthorizedKeys))];
  return { name, keys };
}

export function readNode(src: NodeSource): { node: ImportedNode; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const notes: string[] = [];
  const hostname = hostnameOf(src, problems, notes);
  const before = problems.length;
  const net = networkOf(src, problems, notes);
  const networkBroken = problems.length > before;
  const user = userOf(src);
  const etcd = readEtcdMember(src);
  const flannel = readFlannel(src);
  if (flannel?.config && flannel.config.problems.length) {
    problems.push({ ...flannel.where, message: `${flannel.config.from} writes ${flannel.config.key} = ${flannel.config.value}, which flannel cannot use: ${flannel.config.problems.join('; ')}` });
  }
  const enabled: string[] = [];
  const masked: string[] = [];
  for (const u of src.units) {
    if (u.masked) masked.push(u.name);
    else if (u.enabled === true && !enabled.includes(u.name)) enabled.push(u.name);
  }
  return {
    node: {
      file: src.file,
      name: nodeNameOf(src.file),
      ...(hostname === undefined ? {} : { hostname }),
      ...(net ? { network: net.network, networkWhere: net.where } : {}),
      ...(user ? { user } : {}),
      ...(etcd ? { etcd } : {}),
      ...(flannel ? { flannel } : {}),
      enabled,
      masked,
      provisioned: provisionedOf(src),
      notes,
      ...(networkBroken ? { networkBroken } : {}),
    },
    problems,
  };
}
