// The kubelet on masters and workers: its unit, started from the binary the operator installs in
// /opt/bin, and the kubeconfig it reaches the apiserver with (client certificate files by path).
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { memberAddress } from './etcd.js';
import { apiServerUrl, BIN_DIR, KUBERNETES_DIR, kubeNodeName, pkiFile } from './kubernetes.js';
import type { FileSpec, UnitSpec } from './model.js';
import { environmentLine, execLine, unitFile } from './systemd-text.js';

export const KUBELET_UNIT = 'kubelet.service';
export const KUBELET_KUBECONFIG = `${KUBERNETES_DIR}/kubelet.kubeconfig`;
// Optional, never written by render: KUBELET_EXTRA_ARGS for what a site adds (the lab: the flags
// a kubelet needs inside a container).
export const KUBELET_ENV_FILE = `${KUBERNETES_DIR}/kubelet.env`;
export const CONTAINERD_SOCKET = 'unix:///run/containerd/containerd.sock';

// The kubelet's flags, in a fixed order: CRI runtime, identity, API access, its own TLS clients.
export function kubeletArgs(node: NodeSpec, inventory: Inventory): string[] {
  const addr = memberAddress(node);
  return [
    `--kubeconfig=${KUBELET_KUBECONFIG}`,
    '--container-runtime=remote',
    `--container-runtime-endpoint=${CONTAINERD_SOCKET}`,
    `--hostname-override=${kubeNodeName(node)}`,
    ...(addr === undefined ? [] : [`--node-ip=${addr}`]),
    '--anonymous-auth=false',
    `--client-ca-file=${pkiFile(inventory, 'ca.crt')}`,
  ];
}

export function kubeletUnit(node: NodeSpec, inventory: Inventory): UnitSpec {
  const contents = unitFile([
    {
      name: 'Unit',
      lines: ['Description=Kubernetes kubelet (clusterctl render)', 'Wants=containerd.service', 'After=containerd.service network-online.target'],
    },
    {
      name: 'Service',
      lines: [
        // The kubelet's built-in AWS credential provider asks 169.254.169.254 at every start.
        environmentLine('AWS_EC2_METADATA_DISABLED', 'true'),
        `EnvironmentFile=-${KUBELET_ENV_FILE}`,
        execLine('ExecStart', [`${BIN_DIR}/kubelet`, ...kubeletArgs(node, inventory)], '$KUBELET_EXTRA_ARGS'),
        'Restart=always',
        'RestartSec=5',
      ],
    },
    { name: 'Install', lines: ['WantedBy=multi-user.target'] },
  ]);
  return { name: KUBELET_UNIT, enabled: true, dropins: [], contents };
}

// A kubeconfig naming its files (YAML: each value a JSON string, which YAML reads as written).
export function kubeletKubeconfig(node: NodeSpec, inventory: Inventory): FileSpec {
  const q = (s: string) => JSON.stringify(s);
  const user = `system:node:${kubeNodeName(node)}`;
  const contents = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: kubernetes',
    '    cluster:',
    `      server: ${q(apiServerUrl(inventory) ?? '')}`,
    `      certificate-authority: ${q(pkiFile(inventory, 'ca.crt'))}`,
    'users:',
    `  - name: ${q(user)}`,
    '    user:',
    `      client-certificate: ${q(pkiFile(inventory, 'kubelet.crt'))}`,
    `      client-key: ${q(pkiFile(inventory, 'kubelet.key'))}`,
    'contexts:',
    '  - name: kubelet',
    '    context:',
    '      cluster: kubernetes',
    `      user: ${q(user)}`,
    'current-context: kubelet',
    '',
  ].join('\n');
  return { path: KUBELET_KUBECONFIG, mode: 0o644, contents };
}
