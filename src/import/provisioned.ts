// The files and unit states a config has Ignition write (src/inventory/provisioned.ts), for a
// drift check: storage files, networkd units (/etc/systemd/network), unit files and drop-ins
// (/etc/systemd/system), each with its mode and the sha256 of its bytes when the config holds
// them. Pure: no check, no remote command.
import { createHash } from 'node:crypto';
import type { Provisioned, ProvisionedFile } from '../inventory/provisioned.js';
import { NETWORKD_DIR } from '../render/model.js';
import type { NodeSource, SourceText } from './source.js';
import type { Where } from './problem.js';
import { UNIT_DIR } from './unit-text.js';

const fromOf = (w: Where) => `${w.file}${w.at ? ` ${w.at}` : w.line !== undefined ? `:${w.line}` : ''}`;

function known(path: string, mode: number, bytes: Buffer, where: Where): ProvisionedFile {
  return { path, mode, contentKnown: true, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, from: fromOf(where) };
}

function textFile(path: string, t: SourceText): ProvisionedFile | undefined {
  if (t.generated) return { path, mode: 0o644, contentKnown: false, why: 'written by ct from the CLC section; its bytes depend on the ct version', from: fromOf(t.where) };
  return t.contents === undefined ? undefined : known(path, 0o644, Buffer.from(t.contents, 'utf8'), t.where);
}

export function provisionedOf(src: NodeSource): Provisioned {
  const byPath = new Map<string, ProvisionedFile>();
  const add = (f: ProvisionedFile | undefined) => f && byPath.set(f.path, f); // a later entry for one path wins, as Ignition writes in order
  for (const f of src.files) {
    if (f.append) add({ path: f.path, mode: f.mode, contentKnown: false, why: 'appended to: the file holds more than the config gives', from: fromOf(f.where) });
    else if (f.contents.known) add(known(f.path, f.mode, f.contents.bytes, f.where));
    else add({ path: f.path, mode: f.mode, contentKnown: false, why: f.contents.why, from: fromOf(f.where) });
  }
  for (const n of src.networkd) add(textFile(`${NETWORKD_DIR}/${n.name}`, n));
  for (const u of src.units) {
    add(textFile(`${UNIT_DIR}/${u.name}`, u));
    for (const d of u.dropins) add(textFile(`${UNIT_DIR}/${u.name}.d/${d.name}`, d));
  }
  const units = src.units.flatMap((u) => {
    const state = u.masked ? 'masked' : u.enabled === true ? 'enabled' : u.enabled === false ? 'disabled' : undefined;
    return state ? [{ name: u.name, state, from: fromOf(u.where) } as const] : [];
  });
  return { files: [...byPath.values()], units };
}
