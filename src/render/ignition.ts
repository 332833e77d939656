// NodeConfig → Ignition spec 3.3.0, the format Flatcar's Butane produces. Spec 3 has no
// networkd section: .network units are files under /etc/systemd/network.
import { dataUrl } from './data-url.js';
import { etcdDropin, ETCD_UNIT } from './etcd.js';
import { flannelDropin, FLANNEL_UNIT } from './flannel.js';
import type { FileSpec, NamedText, NodeConfig } from './model.js';
import { NETWORKD_DIR } from './model.js';
import type { IgnitionConfig, IgnitionFile, IgnitionUnit } from './ignition-schema.js';

export const IGNITION_VERSION = '3.3.0';

// overwrite: the base image may have the file already (Debian writes /etc/hostname); without
// it Ignition 3 fails the files stage on an existing path.
function file(f: FileSpec): IgnitionFile {
  return { path: f.path, mode: f.mode, overwrite: true, contents: { source: dataUrl(f.contents) } };
}

function units(c: NodeConfig): IgnitionUnit[] {
  const generated = new Map<string, NamedText[]>();
  if (c.etcd) generated.set(ETCD_UNIT, [etcdDropin(c.etcd)]);
  if (c.flannel) generated.set(FLANNEL_UNIT, [flannelDropin(c.flannel)]);
  return c.units.map((u) => {
    const dropins = [...(generated.get(u.name) ?? []), ...u.dropins];
    return { name: u.name, enabled: u.enabled, ...(u.contents === undefined ? {} : { contents: u.contents }), ...(dropins.length ? { dropins: dropins.map((d) => ({ name: d.name, contents: d.contents })) } : {}) };
  });
}

export function ignitionConfig(c: NodeConfig): IgnitionConfig {
  const files = [...c.files, ...c.networkd.map((u) => ({ path: `${NETWORKD_DIR}/${u.name}`, mode: 0o644, contents: u.contents }))];
  const unitList = units(c);
  return {
    ignition: { version: IGNITION_VERSION },
    ...(c.user ? { passwd: { users: [{ name: c.user.name, sshAuthorizedKeys: [...c.user.sshAuthorizedKeys] }] } } : {}),
    ...(files.length ? { storage: { files: files.map(file) } } : {}),
    ...(unitList.length ? { systemd: { units: unitList } } : {}),
  };
}

// Pretty JSON (one key order, set by construction above) and a final newline.
export function ignitionText(config: IgnitionConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
