// What flanneld.service (unit + drop-ins) says about the flannel a node runs: its environment,
// its command lines, the flannel version it pulls, and the etcd endpoints and prefix it uses.
// Pure: reads parsed unit files (facts/parse/systemd-unit.ts), applies systemd's merge rules.
import { expandWords, splitWords } from './systemd-unit.js';
import type { UnitFile } from './systemd-unit.js';

export interface ExecLine {
  file: string; // the unit file or drop-in that holds the line
  argv: string[]; // words after systemd's unquoting; $VARs expanded with the unit's environment
  ignoreFailure: boolean; // "-" prefix: a failure does not stop the unit
}

export interface FlanneldUnit {
  files: string[]; // in the order systemd applies them
  env: Record<string, string>; // Environment= after every file (EnvironmentFile= cannot be read here)
  envFile: Record<string, string>; // variable → the file that set it last
  environmentFiles: string[]; // EnvironmentFile= paths (their content is not known)
  execStart: ExecLine | null;
  execStartPre: ExecLine[];
}

// Exec prefixes: "-" ignores failure; "@", "+", "!", ":" change how it runs, not what.
function execLine(file: string, value: string, env: Record<string, string>): ExecLine | null {
  const m = /^([-@+!:]*)(.*)$/s.exec(value.trim());
  const prefix = m?.[1] ?? '';
  const argv = expandWords(splitWords(m?.[2] ?? ''), env);
  return argv.length ? { file, argv, ignoreFailure: prefix.includes('-') } : null;
}

// systemd's merge: later files add to lists; an empty assignment resets the list (Environment=,
// ExecStartPre=, ExecStart=). Exec lines are expanded with the final environment, as at start.
export function readFlanneldUnit(files: readonly UnitFile[]): FlanneldUnit {
  const env: Record<string, string> = {};
  const envFile: Record<string, string> = {};
  const environmentFiles: string[] = [];
  let start: { file: string; value: string } | null = null;
  let pre: { file: string; value: string }[] = [];
  for (const f of files) {
    for (const e of f.entries) {
      if (e.section !== 'Service') continue;
      if (e.key === 'Environment') {
        if (e.value === '') for (const k of Object.keys(env)) delete env[k];
        for (const word of splitWords(e.value)) {
          const eq = word.indexOf('=');
          if (eq <= 0) continue;
          env[word.slice(0, eq)] = word.slice(eq + 1);
          envFile[word.slice(0, eq)] = f.path;
        }
      } else if (e.key === 'EnvironmentFile') {
        if (e.value === '') environmentFiles.length = 0;
        else environmentFiles.push(e.value.replace(/^-/, ''));
      } else if (e.key === 'ExecStart') start = e.value === '' ? null : { file: f.path, value: e.value };
      else if (e.key === 'ExecStartPre') pre = e.value === '' ? [] : [...pre, { file: f.path, value: e.value }];
    }
  }
  return {
    files: files.map((f) => f.path),
    env,
    envFile,
    environmentFiles,
    execStart: start ? execLine(start.file, start.value, env) : null,
    execStartPre: pre.map((p) => execLine(p.file, p.value, env)).filter((x): x is ExecLine => x !== null),
  };
}

export interface FlannelVersion {
  version: string; // as found: v0.11.0, 0.14.0-amd64 …
  major: number;
  minor: number;
  patch: number;
  evidence: string; // for messages: "FLANNEL_IMAGE_TAG=v0.11.0 in /usr/lib/…/flanneld.service"
}

// "v0.11.0", "0.14.0-amd64", "v0.7" → numbers; anything else → undefined.
export function parseFlannelVersion(text: string, evidence: string): FlannelVersion | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+][\w.+-]*)?$/.exec(text.trim());
  if (!m) return undefined;
  return { version: text.trim(), major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), evidence };
}

const FLANNEL_IMAGE = /(?:^|\/)flannel(?:-[\w]+)?:(v?\d+\.\d+(?:\.\d+)?[\w.+-]*)$/;

// The version the unit runs, from the flannel-wrapper's variables (Container Linux, Flatcar):
// FLANNEL_IMAGE_TAG, its deprecated FLANNEL_VER, or the tag of FLANNEL_IMAGE; else an image
// reference "…/flannel:TAG" on the ExecStart line (a docker run of flannel's image).
export function unitFlannelVersion(u: FlanneldUnit): FlannelVersion | undefined {
  for (const name of ['FLANNEL_IMAGE_TAG', 'FLANNEL_VER']) {
    const v = u.env[name];
    if (v) return parseFlannelVersion(v, `${name}=${v} in ${u.envFile[name]}`);
  }
  const image = u.env.FLANNEL_IMAGE;
  const tag = image ? FLANNEL_IMAGE.exec(image)?.[1] : undefined;
  if (image && tag) return parseFlannelVersion(tag, `FLANNEL_IMAGE=${image} in ${u.envFile.FLANNEL_IMAGE}`);
  for (const word of u.execStart?.argv ?? []) {
    const t = FLANNEL_IMAGE.exec(word)?.[1];
    if (t) return parseFlannelVersion(t, `image ${word} in the ExecStart of ${u.execStart?.file}`);
  }
  return undefined;
}

export interface UnitSetting {
  value: string;
  from: string; // "--etcd-endpoints on the ExecStart line of FILE", "FLANNELD_ETCD_ENDPOINTS in FILE"
}

// A flanneld flag from its command line (`--name=V`, `--name V`, `-name=V`): flannel's flags
// win over its FLANNELD_* variables (flagutil sets a flag from the environment only when unset).
function flag(u: FlanneldUnit, name: string): UnitSetting | undefined {
  const argv = u.execStart?.argv ?? [];
  for (let i = 0; i < argv.length; i++) {
    const m = new RegExp(`^--?${name}(?:=(.*))?$`).exec(argv[i] ?? '');
    if (!m) continue;
    const value = m[1] ?? argv[i + 1];
    if (value !== undefined) return { value, from: `--${name} on the ExecStart line of ${u.execStart?.file}` };
  }
  return undefined;
}

function setting(u: FlanneldUnit, flagName: string, envName: string): UnitSetting | undefined {
  const f = flag(u, flagName);
  if (f) return f;
  const v = u.env[envName];
  return v ? { value: v, from: `${envName} in ${u.envFile[envName]}` } : undefined;
}

// The etcd endpoints flanneld dials, when its unit names them.
export function unitEtcdEndpoints(u: FlanneldUnit): { endpoints: string[]; from: string } | undefined {
  const s = setting(u, 'etcd-endpoints', 'FLANNELD_ETCD_ENDPOINTS');
  if (!s) return undefined;
  const endpoints = s.value.split(',').map((e) => e.trim()).filter(Boolean);
  return endpoints.length ? { endpoints, from: s.from } : undefined;
}

// The etcd prefix flanneld reads its config under (the key is PREFIX/config), when set.
export const unitEtcdPrefix = (u: FlanneldUnit): UnitSetting | undefined => setting(u, 'etcd-prefix', 'FLANNELD_ETCD_PREFIX');
