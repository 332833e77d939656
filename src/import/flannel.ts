// flanneld as a config sets it up: etcd endpoints, prefix and TLS files, the flannel version
// (FLANNEL_IMAGE_TAG), and the config key's value when a drop-in writes it (the setup guide's
// `etcdctl set /coreos.com/network/config '{"Network": …}'`, or CLC's network_config). Pure.
import { parseFlannelVersion, readFlanneldUnit, unitEtcdEndpoints, unitEtcdPrefix, unitFlannelVersion } from '../facts/parse/flanneld-unit.js';
import type { FlannelVersion } from '../facts/parse/flanneld-unit.js';
import { keyWriters } from '../flannel/dropin.js';
import { field, validateFlannelConfig } from '../flannel/config.js';
import { DEFAULT_PREFIX, FLANNEL_UNIT } from '../render/flannel.js';
import type { NodeSource } from './source.js';
import type { Where } from './problem.js';
import { daemonSettings, unitFilesOf } from './unit-text.js';

export interface FlannelConfigWrite {
  key: string;
  value: string;
  api: 'v2' | 'v3'; // the keyspace the write goes to
  network?: string;
  subnetLen?: number;
  problems: string[]; // the value is not a config flannel can use
  from: string; // drop-in or CLC key, for messages
}

export interface FlannelFacts {
  endpoints?: string[];
  prefix?: string; // FLANNELD_ETCD_PREFIX / --etcd-prefix; absent: /coreos.com/network
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  version?: FlannelVersion;
  config?: FlannelConfigWrite;
  where: Where;
}

function configWrite(key: string, value: string, api: 'v2' | 'v3', from: string): FlannelConfigWrite {
  const v = validateFlannelConfig(value);
  const out: FlannelConfigWrite = { key, value, api, problems: v.ok ? [] : v.problems, from };
  if (v.ok) out.network = v.config.network;
  try {
    const raw = JSON.parse(value) as unknown;
    const len = typeof raw === 'object' && raw !== null ? field(raw as Record<string, unknown>, 'SubnetLen') : undefined;
    if (typeof len === 'number') out.subnetLen = len;
  } catch {
    // reported by validateFlannelConfig
  }
  return out;
}

export function readFlannel(src: NodeSource): FlannelFacts | undefined {
  const unit = src.units.find((u) => u.name === FLANNEL_UNIT);
  if (!src.flannel && (!unit || (unit.enabled !== true && unit.dropins.length === 0))) return undefined;
  const u = readFlanneldUnit(unit ? unitFilesOf(unit) : []);
  const clc = src.flannel?.settings ?? {};
  const fromUnit = daemonSettings(u.env, u.execStart?.argv ?? [], 'FLANNELD_');
  const s = { ...fromUnit, ...clc };
  const endpoints = clc.etcd_endpoints ? clc.etcd_endpoints.split(',').map((e) => e.trim()).filter(Boolean) : unitEtcdEndpoints(u)?.endpoints;
  const prefix = clc.etcd_prefix ?? unitEtcdPrefix(u)?.value;
  const version = clc.version ? parseFlannelVersion(clc.version, 'version in the flannel: section') : unitFlannelVersion(u);
  const key = `${(prefix ?? DEFAULT_PREFIX).replace(/\/+$/, '')}/config`;
  let config: FlannelConfigWrite | undefined;
  // ct writes network_config with `etcdctl set` to /coreos.com/network/config, whatever the prefix.
  if (clc.network_config) config = configWrite(`${DEFAULT_PREFIX}/config`, clc.network_config, 'v2', 'network_config in the flannel: section');
  // A drop-in that writes the default key while flanneld reads another prefix is still found,
  // so the merge can say the two disagree.
  for (const k of new Set([key, `${DEFAULT_PREFIX}/config`])) {
    const w = keyWriters(u, k).at(-1);
    if (w && !config?.from.endsWith('.conf')) config = configWrite(k, w.value, w.subApi, w.file.slice(w.file.lastIndexOf('/') + 1));
  }
  return {
    ...(endpoints?.length ? { endpoints } : {}),
    ...(prefix ? { prefix } : {}),
    ...(s.etcd_cafile ? { caFile: s.etcd_cafile } : {}),
    ...(s.etcd_certfile ? { certFile: s.etcd_certfile } : {}),
    ...(s.etcd_keyfile ? { keyFile: s.etcd_keyfile } : {}),
    ...(version ? { version } : {}),
    ...(config ? { config } : {}),
    where: src.flannel?.where ?? unit?.where ?? { file: src.file },
  };
}
