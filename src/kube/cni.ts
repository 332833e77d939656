// The CNI config the container runtime uses: containerd (and the kubelet's dockershim) take the
// first file of /etc/cni/net.d in lexical order among *.conf, *.conflist and *.json. Until one
// exists the node is NotReady ("cni plugin not initialized"). Pure.
import type { Fact } from './fact.js';

export const CNI_DIR = '/etc/cni/net.d';
export const FLANNEL_CNI_FILE = `${CNI_DIR}/10-flannel.conflist`;

export interface CniConfig {
  file: string; // absolute path of the config in use
  name: string; // its "name"
  types: string[]; // plugin types: plugins[].type of a conflist, or the one "type" of a .conf
  others: string[]; // config files after it, which the runtime ignores
}

// `ls -1 /etc/cni/net.d` → the config files, in the order the runtime reads them.
export function cniConfigFiles(listing: string): string[] {
  return listing
    .split('\n')
    .map((l) => l.trim())
    .filter((f) => /\.(conf|conflist|json)$/.test(f) && !f.includes('/'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

// The config in use from the listing and the first file's text. listing: null when the
// directory does not exist.
export function parseCniConfig(listing: string | null, firstText: string | null): Fact<CniConfig> {
  if (listing === null) return { absent: `${CNI_DIR} does not exist` };
  const files = cniConfigFiles(listing);
  const first = files[0];
  if (first === undefined) return { absent: `${CNI_DIR} holds no *.conf, *.conflist or *.json file` };
  const file = `${CNI_DIR}/${first}`;
  if (firstText === null) return { error: `${file} could not be read` };
  let json: unknown;
  try {
    json = JSON.parse(firstText);
  } catch (err) {
    return { error: `${file} is not valid JSON (${err instanceof Error ? err.message : String(err)}): the runtime cannot load it` };
  }
  const o = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const name = typeof o.name === 'string' ? o.name : '';
  const plugins = Array.isArray(o.plugins) ? o.plugins : first.endsWith('.conflist') ? [] : [o];
  const types = plugins.map((p) => (typeof p === 'object' && p !== null ? (p as Record<string, unknown>).type : undefined)).filter((t): t is string => typeof t === 'string');
  if (name === '' || types.length === 0) return { error: `${file} has no ${name === '' ? '"name"' : 'plugin "type"'}: the runtime cannot load it` };
  return { ok: { file, name, types, others: files.slice(1).map((f) => `${CNI_DIR}/${f}`) } };
}
