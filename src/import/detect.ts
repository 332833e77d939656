// One config file's text → which format it is (Container Linux Config, Ignition 2.x, 3.x, Butane) and
// its parsed value, with a locator for later problems; or why it is none of them, with where.
import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { CT_SECTIONS, ctReadsAsAbsent } from './ct-null.js';
import { QUIET_YAML } from '../util/yaml-quiet.js';
import { emptyBlockMessage, emptyBlockScalars } from './indent.js';
import { lineCol, readJson } from './json-locate.js';
import type { ImportProblem, Locator } from './problem.js';
import { pointerOf } from './problem.js';
import { yamlLocator } from './yaml-locate.js';

export type Format = 'clc' | 'ignition-2' | 'ignition-3' | 'butane';

export type Detected =
  | { ok: true; format: Format; version?: string; value: Record<string, unknown>; locate: Locator; warnings: string[] }
  | { ok: false; problems: ImportProblem[] };

// Top-level keys of a Container Linux Config (ct's config/types/config.go).
export const CLC_KEYS = ['version', 'ignition', 'storage', 'systemd', 'networkd', 'passwd', 'etcd', 'flannel', 'update', 'docker', 'locksmith'];
// Ignition 2.0–2.3 is Container Linux's (ct v0.9.0, the last release, writes 2.2.0; its unreleased
// master 2.3.0); 3.0–3.5 what Butane writes for Flatcar.
const IGNITION_2 = /^2\.[0-3]\.0$/;
const IGNITION_3 = /^3\.[0-5]\.0$/;
// Butane's spec versions for Flatcar and the Ignition spec each translates to (butane.ts).
export const BUTANE_FLATCAR: Readonly<Record<string, string>> = { '1.0.0': '3.3.0', '1.1.0': '3.4.0' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const kind = (v: unknown) => (v === undefined ? 'nothing' : v === null ? 'nothing (null)' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `a ${typeof v} (${JSON.stringify(v).slice(0, 40)})`);

function looksJson(file: string, text: string): boolean {
  return /\.(json|ign)$/i.test(file) || /^\s*[[{]/.test(text);
}

function ignitionOf(value: Record<string, unknown>, locate: Locator): Detected {
  const ign = value.ignition;
  const version = isRecord(ign) ? ign.version : undefined;
  if (typeof version !== 'string') {
    return { ok: false, problems: [{ ...locate(['ignition']), message: `an Ignition config needs ignition.version (a string such as "2.2.0" or "3.3.0"); found ${kind(version)}` }] };
  }
  const format: Format | undefined = IGNITION_2.test(version) ? 'ignition-2' : IGNITION_3.test(version) ? 'ignition-3' : undefined;
  if (!format) {
    return {
      ok: false,
      problems: [{ ...locate(['ignition', 'version']), message: `unknown Ignition version ${JSON.stringify(version)}: import reads 2.0.0–2.3.0 (Container Linux, ct's output) and 3.0.0–3.5.0 (Butane's, Flatcar)${/experimental/.test(version) ? '; an experimental spec is not one of them' : ''}` }],
    };
  }
  return { ok: true, format, version, value, locate, warnings: [] };
}

function fromJson(file: string, text: string): Detected {
  const r = readJson(text);
  if (!r.ok) {
    const { line, column } = lineCol(text, r.offset);
    return { ok: false, problems: [{ file, line, column, message: `not valid JSON (at byte ${r.offset}): ${r.message}` }] };
  }
  const at = r.at;
  const locate: Locator = (path) => {
    for (let n = path.length; n >= 0; n--) {
      const offset = at.get(pointerOf(path.slice(0, n)));
      if (offset !== undefined) return { file, ...lineCol(text, offset), at: pointerOf(path) || '/' };
    }
    return { file, at: pointerOf(path) || '/' };
  };
  if (!isRecord(r.value)) return { ok: false, problems: [{ ...locate([]), message: `valid JSON, but ${kind(r.value)}, not an Ignition config (an object with ignition.version)` }] };
  if ('ignition' in r.value) return ignitionOf(r.value, locate);
  // JSON is YAML: ct reads a CLC written as JSON too.
  if (Object.keys(r.value).some((k) => CLC_KEYS.includes(k))) return asClc(file, r.value, locate);
  return { ok: false, problems: [{ ...locate([]), message: `valid JSON, but not an Ignition config: it has no ignition.version (its keys: ${Object.keys(r.value).join(', ') || 'none'})` }] };
}

const CT_UNIT = { etcd: 'etcd-member.service', flannel: 'flanneld.service' } as const;

// Butane: variant flatcar at the spec versions import reads (src/import/butane.ts).
function asButane(value: Record<string, unknown>, locate: Locator): Detected {
  const supported = `import reads Butane variant flatcar, versions ${Object.keys(BUTANE_FLATCAR).join(' and ')}`;
  const { variant, version } = value;
  if (variant !== 'flatcar') {
    const hint = variant === 'fcos' || variant === 'openshift' || variant === 'r4e' || variant === 'fiot' ? '; transpile it with `butane --pretty --strict` and import the Ignition JSON it writes' : '';
    return { ok: false, problems: [{ ...locate(['variant']), message: `Butane variant ${typeof variant === 'string' ? JSON.stringify(variant) : kind(variant)} is not supported: ${supported}${hint}` }] };
  }
  if (typeof version !== 'string') return { ok: false, problems: [{ ...locate(version === undefined ? [] : ['version']), message: `a Butane config needs version (a string such as "1.0.0"); found ${kind(version)}` }] };
  if (!(version in BUTANE_FLATCAR)) return { ok: false, problems: [{ ...locate(['version']), message: `Butane flatcar version ${JSON.stringify(version)} is not supported: ${supported}` }] };
  return { ok: true, format: 'butane', version, value, locate, warnings: [] };
}

// `doc` is the YAML document (undefined for a CLC written as JSON).
function asClc(file: string, parsed: Record<string, unknown>, locate: Locator, doc?: Document): Detected {
  const value = { ...parsed };
  const keys = Object.keys(value);
  if ('variant' in value) return asButane(value, locate);
  if (/\.bu$/i.test(file)) return { ok: false, problems: [{ ...locate([]), message: 'a .bu file with no variant: a Butane config starts with `variant: flatcar` and `version: 1.0.0` (or 1.1.0)' }] };
  if (!keys.some((k) => CLC_KEYS.includes(k) && k !== 'version')) {
    return { ok: false, problems: [{ ...locate([]), message: `valid YAML, but not a Container Linux Config: none of its keys (${CLC_KEYS.filter((k) => k !== 'version').join(', ')}) is there; found ${keys.join(', ') || 'no keys'}` }] };
  }
  const unknown = keys.filter((k) => !CLC_KEYS.includes(k));
  const at = (k: string) => (locate([k]).line !== undefined ? `${file}:${locate([k]).line}` : file);
  const warnings = unknown.map((k) => `${at(k)}: ${k}: not a Container Linux Config key; ct ignores it, and so does import`);
  for (const k of CT_SECTIONS) {
    if (value[k] !== null || !ctReadsAsAbsent(doc, k)) continue;
    delete value[k];
    warnings.push(`${at(k)}: ${k}: with no value (or null), ct v0.9.0 writes nothing for this section; \`${k}: ~\` or settings give ${CT_UNIT[k]} with its drop-in. import reads it as ct does: no ${k}: section`);
  }
  return { ok: true, format: 'clc', value, locate, warnings };
}

function fromYaml(file: string, text: string): Detected {
  const lc = new LineCounter();
  const doc = parseDocument(text, { ...QUIET_YAML, lineCounter: lc, uniqueKeys: true, version: '1.1' });
  const blocks = emptyBlockScalars(text);
  const problems: ImportProblem[] = blocks.map((b) => ({ file, line: b.line, column: b.column, message: emptyBlockMessage(b) }));
  // The YAML errors inside such a block are its consequence, not problems of their own.
  const inBlock = (line: number) => blocks.some((b) => line >= b.firstLine && line <= b.endLine);
  for (const e of doc.errors) {
    const { line, col } = lc.linePos(e.pos[0]);
    if (inBlock(line)) continue;
    const what = e.code === 'DUPLICATE_KEY' ? 'a key given twice in one mapping' : e.code === 'MULTIPLE_DOCS' ? 'one config per file: a second --- starts another document' : e.message;
    problems.push({ file, line, column: col, message: `not valid YAML: ${what}` });
  }
  if (problems.length) return { ok: false, problems };
  const locate = yamlLocator(doc, lc, file);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, problems: [{ file, message: `YAML: ${err instanceof Error ? err.message : String(err)}` }] };
  }
  if (value === null || value === undefined) return { ok: false, problems: [{ file, line: 1, column: 1, message: 'the file is empty (no YAML document in it)' }] };
  if (!isRecord(value)) return { ok: false, problems: [{ ...locate([]), message: `valid YAML, but ${kind(value)}, not a Container Linux Config (a mapping with passwd:, storage:, networkd:, systemd:, etcd:, flannel: …)` }] };
  return asClc(file, value, locate, doc);
}

export function detectConfig(file: string, text: string): Detected {
  if (text.trim() === '') return { ok: false, problems: [{ file, message: 'the file is empty' }] };
  return looksJson(file, text) ? fromJson(file, text) : fromYaml(file, text);
}
