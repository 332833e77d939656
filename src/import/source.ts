// One config file, whatever its format, as the files, units, users and networkd units it has
// Ignition write — the common ground the node readers work on. CLC's etcd: and flannel: sections
// stay as ct's settings (ct turns them into drop-ins whose exact bytes depend on ct's version).
import type { Format } from './detect.js';
import type { Contents } from './data-url.js';
import type { Where } from './problem.js';

export interface SourceFile {
  path: string;
  mode: number; // as the config gives it, else Ignition's default 0644
  contents: Contents;
  append: boolean; // the file is appended to, not written: its content on the node is not the config's
  where: Where;
}

export interface SourceText {
  name: string; // unit, drop-in or networkd unit file name
  contents: string | undefined; // undefined: the config gives none (a unit only enabled)
  generated?: boolean; // written by ct from a CLC section: contents not known here
  where: Where;
}

export interface SourceUnit extends SourceText {
  enabled: boolean | undefined; // undefined: the config does not say
  masked: boolean;
  dropins: SourceText[];
}

export interface SourceUser {
  name: string;
  sshAuthorizedKeys: string[];
  where: Where;
}

// A CLC etcd: or flannel: section: each setting as written (ct passes them on as --flags).
export interface ClcSection {
  settings: Record<string, string>; // none for `flannel: ~`, which ct writes with its defaults
  where: Where;
}

export interface NodeSource {
  file: string;
  format: Format;
  users: SourceUser[];
  files: SourceFile[];
  networkd: SourceText[]; // CLC and Ignition 2.x networkd.units (3.x has files under /etc/systemd/network)
  units: SourceUnit[];
  etcd?: ClcSection;
  flannel?: ClcSection;
}

// Ignition applies every entry of a unit named more than once (ct v0.9.0 lists its etcd-member and
// flanneld entries before the config's own, test/fixtures/import/ct/README.md): one unit with every drop-in (a later one of the same
// name replaces the earlier), the last enabled/contents given, masked if any entry masks it.
export function mergeUnits(units: readonly SourceUnit[]): SourceUnit[] {
  const out: SourceUnit[] = [];
  for (const u of units) {
    const have = out.find((x) => x.name === u.name);
    if (!have) {
      out.push({ ...u, dropins: [...u.dropins] });
      continue;
    }
    for (const d of u.dropins) have.dropins = [...have.dropins.filter((x) => x.name !== d.name), d];
    if (u.enabled !== undefined) have.enabled = u.enabled;
    if (u.contents !== undefined) have.contents = u.contents;
    have.masked ||= u.masked;
  }
  return out;
}
