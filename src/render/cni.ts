// flannel's CNI config, as kube-flannel's install-cni step writes it: the flannel plugin reads
// flanneld's lease (/run/flannel/subnet.env) and delegates to bridge. containerd reports the
// node's network ready (and so the Node Ready) once a config is in /etc/cni/net.d.
import type { FileSpec } from './model.js';

export const CNI_CONFIG = '/etc/cni/net.d/10-flannel.conflist';

export function flannelCniConfig(): FileSpec {
  const conflist = {
    name: 'cbr0',
    cniVersion: '0.3.1',
    plugins: [
      { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
  return { path: CNI_CONFIG, mode: 0o644, contents: `${JSON.stringify(conflist, null, 2)}\n` };
}
