// flanneld reads its config from <etcd prefix>/config: FLANNELD_ETCD_PREFIX or --etcd-prefix in
// its unit, else /coreos.com/network. A node whose flanneld reads another key than
// cluster.flannel.configKey finds no config there, whatever the key holds. Pure.
import { readFlanneldUnit, unitEtcdPrefix } from '../facts/parse/flanneld-unit.js';
import type { UnitFile } from '../facts/parse/systemd-unit.js';

export const DEFAULT_ETCD_PREFIX = '/coreos.com/network';
const trim = (k: string) => k.replace(/\/+$/, '');

// "node: flanneld reads KEY (why)" for each node whose unit points flanneld elsewhere.
export function prefixMismatches(configKey: string, units: readonly { node: string; files: readonly UnitFile[] }[]): string[] {
  const out: string[] = [];
  for (const { node, files } of units) {
    const s = unitEtcdPrefix(readFlanneldUnit(files));
    const key = `${trim(s?.value ?? DEFAULT_ETCD_PREFIX)}/config`;
    if (key === trim(configKey)) continue;
    out.push(`${node}: flanneld reads ${key} (${s ? s.from : `no FLANNELD_ETCD_PREFIX or --etcd-prefix in flanneld.service: the default prefix ${DEFAULT_ETCD_PREFIX}`})`);
  }
  return out;
}
