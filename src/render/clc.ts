// NodeConfig → Container Linux Config, the setup guide's format and ct's input. etcd and
// flannel go in their own sections (ct turns them into etcd-member.service and flanneld.service
// drop-ins and enables both units), so systemd.units lists only the other units.
import { parse } from 'yaml';
import { QUIET_YAML } from '../util/yaml-quiet.js';
import { ETCD_UNIT } from './etcd.js';
import { FLANNEL_UNIT } from './flannel.js';
import type { NodeConfig } from './model.js';
import type { ClcConfig } from './clc-schema.js';
import { yaml11Text } from './yaml11.js';

export function clcConfig(c: NodeConfig): ClcConfig {
  const byCt = new Set([...(c.etcd ? [ETCD_UNIT] : []), ...(c.flannel ? [FLANNEL_UNIT] : [])]);
  const units = c.units
    .filter((u) => !byCt.has(u.name) || u.dropins.length > 0)
    .map((u) => ({
      name: u.name,
      ...(byCt.has(u.name) ? {} : { enabled: u.enabled }),
      ...(u.contents === undefined ? {} : { contents: u.contents }),
      ...(u.dropins.length ? { dropins: u.dropins.map((d) => ({ name: d.name, contents: d.contents })) } : {}),
    }));
  const e = c.etcd;
  const f = c.flannel;
  return {
    ...(c.user ? { passwd: { users: [{ name: c.user.name, ssh_authorized_keys: [...c.user.sshAuthorizedKeys] }] } } : {}),
    ...(c.files.length
      ? { storage: { files: c.files.map((x) => ({ filesystem: 'root' as const, path: x.path, mode: x.mode, contents: { inline: x.contents } })) } }
      : {}),
    ...(c.networkd.length ? { networkd: { units: c.networkd.map((u) => ({ name: u.name, contents: u.contents })) } } : {}),
    ...(e
      ? {
          etcd: {
            name: e.name,
            listen_client_urls: e.listenClientUrls,
            advertise_client_urls: e.advertiseClientUrls,
            listen_peer_urls: e.listenPeerUrls,
            initial_advertise_peer_urls: e.initialAdvertisePeerUrls,
            initial_cluster: e.initialCluster,
            initial_cluster_token: e.initialClusterToken,
            initial_cluster_state: e.initialClusterState,
          },
        }
      : {}),
    ...(f
      ? {
          flannel: {
            ...(f.version === undefined ? {} : { version: f.version }),
            etcd_endpoints: f.etcdEndpoints,
            ...(f.etcdPrefix === undefined ? {} : { etcd_prefix: f.etcdPrefix }),
            ...(f.etcdCaFile === undefined ? {} : { etcd_cafile: f.etcdCaFile }),
            ...(f.etcdCertFile === undefined ? {} : { etcd_certfile: f.etcdCertFile }),
            ...(f.etcdKeyFile === undefined ? {} : { etcd_keyfile: f.etcdKeyFile }),
          },
        }
      : {}),
    ...(units.length ? { systemd: { units } } : {}),
  };
}

// YAML 1.1, as ct's go-yaml v2 reads it (modes as 0644).
export const clcText = (config: ClcConfig): string => yaml11Text(config);

// Read CLC text back the way ct does (YAML 1.1), to validate what was written, not what was meant.
export function readClc(text: string): unknown {
  return parse(text, { ...QUIET_YAML, version: '1.1' });
}
