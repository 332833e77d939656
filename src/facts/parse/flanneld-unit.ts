// What flanneld.service (unit + drop-ins) says about the flannel a node runs: its environment,
// its command lines, the flannel version it pulls, and the etcd endpoints and prefix it uses.
// Pure: reads parsed unit files (facts/parse/systemd-unit.ts), applies systemd's merge rules.
import { readServiceUnit } from '../../systemd/unit.js';
import type { ExecLine, ServiceUnit } from '../../systemd/unit.js';
import type { UnitFile } from '../../systemd/unit-file.js';

export type { ExecLine };
export type FlanneldUnit = ServiceUnit;
// flanneld.service as systemd merges it (systemd/unit.ts).
export const readFlanneldUnit = (files: readonly UnitFile[]): FlanneldUnit => readServiceUnit(files);


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
