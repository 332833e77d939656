// A Butane config (variant flatcar, 1.0.0 or 1.1.0: coreos/butane's base/v0_4 and v0_5) → the
// Ignition 3.3 / 3.4 value Butane would translate it to, as far as import reads it, then the
// Ignition reader on that. Butane's own fields (contents.inline, contents.local, the 1.1.0
// *_local fields, ssh_authorized_keys) become what Butane writes for them; every other field has
// the same name and path in both, so the Ignition reader's problems point into the Butane file.
import type { FieldPath, ImportProblem, Locator } from './problem.js';
import { Fields } from './shape.js';
import { BUTANE_FLATCAR } from './detect.js';
import { readIgnitionSource } from './ignition.js';
import type { NodeSource } from './source.js';

export type LocalRead = { ok: true; bytes: Buffer } | { ok: false; why: string };
// A file named by contents.local (or a *_local field), relative to the files directory.
export type LocalReader = (path: string) => LocalRead;

const dataUrl = (bytes: Buffer) => `data:;base64,${bytes.toString('base64')}`;

class Butane {
  readonly f: Fields;
  readonly warnings: string[] = [];
  constructor(
    locate: Locator,
    readonly version: string,
    readonly readLocal: LocalReader,
  ) {
    this.f = new Fields(locate);
  }

  // Exactly one of the given fields may be set (Butane: "only one of the following can be set").
  one(o: Record<string, unknown>, path: FieldPath, keys: string[]): string | undefined {
    const set = keys.filter((k) => o[k] !== undefined && o[k] !== null);
    if (set.length > 1) this.f.problem([...path, set[set.length - 1] as string], `only one of ${keys.join(', ')} can be set (Butane refuses more); found ${set.join(' and ')}`);
    return set[0];
  }

  // A *_local field: 1.1.0 has it for units, drop-ins and users; 1.0.0 does not.
  since11(path: FieldPath): boolean {
    if (this.version !== '1.0.0') return true;
    this.f.problem(path, `${String(path[path.length - 1])} is a Butane 1.1.0 field; this config says version 1.0.0`);
    return false;
  }

  local(v: unknown, path: FieldPath): Buffer | undefined {
    const rel = this.f.str(v, path);
    if (rel === undefined) return undefined;
    const r = this.readLocal(rel);
    if (!r.ok) this.f.problem(path, `${rel}: ${r.why}`);
    return r.ok ? r.bytes : undefined;
  }

  // A file's contents: inline text or a local file become the data URL Butane writes; source as is.
  contents(v: unknown, path: FieldPath): Record<string, unknown> | undefined {
    const c = this.f.obj(v, path);
    if (!c) return undefined;
    const which = this.one(c, path, ['inline', 'local', 'source']);
    if (which === 'inline') {
      const text = this.f.str(c.inline, [...path, 'inline']);
      return text === undefined ? undefined : { source: dataUrl(Buffer.from(text, 'utf8')) };
    }
    if (which === 'local') {
      const bytes = this.local(c.local, [...path, 'local']);
      return bytes && { source: dataUrl(bytes) };
    }
    return { source: c.source, compression: c.compression };
  }

  // A unit's or drop-in's text: contents, or (1.1.0) contents_local.
  text(o: Record<string, unknown>, path: FieldPath): unknown {
    if (this.one(o, path, ['contents', 'contents_local']) !== 'contents_local') return o.contents;
    if (!this.since11([...path, 'contents_local'])) return undefined;
    return this.local(o.contents_local, [...path, 'contents_local'])?.toString('utf8');
  }

  files(storage: Record<string, unknown> | undefined): unknown[] {
    return this.f.list(storage?.files, ['storage', 'files']).map((x, i) => {
      const at = ['storage', 'files', i];
      const o = this.f.obj(x, at);
      if (!o) return null; // read past, as the Ignition reader does; the index stays the config's
      if (o.contents === undefined || o.contents === null) return { path: o.path, mode: o.mode, append: o.append };
      // Contents that could not be read are a problem already: the file is left out, not empty.
      const contents = this.contents(o.contents, [...at, 'contents']);
      return contents ? { path: o.path, mode: o.mode, append: o.append, contents } : null;
    });
  }

  units(systemd: Record<string, unknown> | undefined): unknown[] {
    return this.f.list(systemd?.units, ['systemd', 'units']).map((x, i) => {
      const at = ['systemd', 'units', i];
      const o = this.f.obj(x, at);
      if (!o) return null; // read past, as the Ignition reader does; the index stays the config's
      const dropins = this.f.list(o.dropins, [...at, 'dropins']).map((d, j) => {
        const dropin = this.f.obj(d, [...at, 'dropins', j]);
        return dropin ? { name: dropin.name, contents: this.text(dropin, [...at, 'dropins', j]) } : null;
      });
      return { name: o.name, enabled: o.enabled, mask: o.mask, contents: this.text(o, at), dropins };
    });
  }

  users(passwd: Record<string, unknown> | undefined): unknown[] {
    return this.f.list(passwd?.users, ['passwd', 'users']).map((x, i) => {
      const at = ['passwd', 'users', i];
      const o = this.f.obj(x, at);
      if (!o) return null; // read past, as the Ignition reader does; the index stays the config's
      const keys = this.f.strings(o.ssh_authorized_keys, [...at, 'ssh_authorized_keys']);
      if (o.ssh_authorized_keys_local !== undefined && this.since11([...at, 'ssh_authorized_keys_local'])) {
        // One key a line, empty lines skipped (Butane's translateUser).
        const files = this.f.list(o.ssh_authorized_keys_local, [...at, 'ssh_authorized_keys_local']);
        files.forEach((p, k) => keys.push(...(this.local(p, [...at, 'ssh_authorized_keys_local', k])?.toString('utf8').split(/\r?\n/).filter(Boolean) ?? [])));
      }
      return { name: o.name, sshAuthorizedKeys: keys };
    });
  }
}

export function readButaneSource(file: string, version: string, value: Record<string, unknown>, locate: Locator, readLocal: LocalReader): { source: NodeSource; problems: ImportProblem[]; warnings: string[] } {
  const b = new Butane(locate, version, readLocal);
  const storage = b.f.obj(value.storage, ['storage']);
  if (storage?.trees !== undefined) {
    const w = locate(['storage', 'trees']);
    b.warnings.push(`${w.file}${w.line === undefined ? '' : `:${w.line}`}: storage.trees: import does not read local trees; the files Butane embeds from them are not checked`);
  }
  const ignition = {
    ignition: { version: BUTANE_FLATCAR[version] },
    passwd: { users: b.users(b.f.obj(value.passwd, ['passwd'])) },
    storage: { files: b.files(storage), links: storage?.links },
    systemd: { units: b.units(b.f.obj(value.systemd, ['systemd'])) },
  };
  const read = readIgnitionSource(file, 'ignition-3', ignition, locate);
  return { source: { ...read.source, format: 'butane' }, problems: [...b.f.problems, ...read.problems], warnings: b.warnings };
}
