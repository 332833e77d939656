// kube-apiserver on masters: on the inventory's etcd, serving on 6443 with the certificate and
// service-account key the operator provides (files by path), Node and RBAC authorization.
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { memberAddress } from './etcd.js';
import { endpointsFor } from './flannel.js';
import { APISERVER_PORT, BIN_DIR, pkiFile } from './kubernetes.js';
import type { UnitSpec } from './model.js';
import { execLine, unitFile } from './systemd-text.js';

export const APISERVER_UNIT = 'kube-apiserver.service';

export function apiServerArgs(node: NodeSpec, inventory: Inventory): string[] {
  const k = inventory.cluster.kubernetes;
  const { caFile, certFile, keyFile } = inventory.cluster.etcd;
  const addr = memberAddress(node);
  const sa = pkiFile(inventory, 'sa.key');
  return [
    `--etcd-servers=${endpointsFor(node, inventory).join(',')}`,
    ...(caFile === undefined ? [] : [`--etcd-cafile=${caFile}`]),
    ...(certFile === undefined ? [] : [`--etcd-certfile=${certFile}`]),
    ...(keyFile === undefined ? [] : [`--etcd-keyfile=${keyFile}`]),
    // Every address of the node (as kubeadm and Typhoon do): the node's own checks ask
    // https://127.0.0.1:6443, the kubelets the advertised address.
    '--bind-address=0.0.0.0',
    ...(addr === undefined ? [] : [`--advertise-address=${addr}`]),
    `--secure-port=${APISERVER_PORT}`,
    '--insecure-port=0',
    `--tls-cert-file=${pkiFile(inventory, 'apiserver.crt')}`,
    `--tls-private-key-file=${pkiFile(inventory, 'apiserver.key')}`,
    `--client-ca-file=${pkiFile(inventory, 'ca.crt')}`,
    // 1.20 requires all three; one private key serves to sign and (its public half) to verify.
    `--service-account-key-file=${sa}`,
    `--service-account-signing-key-file=${sa}`,
    '--service-account-issuer=https://kubernetes.default.svc',
    '--authorization-mode=Node,RBAC',
    '--enable-admission-plugins=NodeRestriction',
    `--service-cluster-ip-range=${k?.serviceClusterIpRange ?? ''}`,
    '--allow-privileged=true',
  ];
}

export function apiServerUnit(node: NodeSpec, inventory: Inventory): UnitSpec {
  const contents = unitFile([
    { name: 'Unit', lines: ['Description=Kubernetes API server (clusterctl render)', 'After=network-online.target etcd-member.service'] },
    {
      name: 'Service',
      lines: [execLine('ExecStart', [`${BIN_DIR}/kube-apiserver`, ...apiServerArgs(node, inventory)]), 'Restart=always', 'RestartSec=5'],
    },
    { name: 'Install', lines: ['WantedBy=multi-user.target'] },
  ]);
  return { name: APISERVER_UNIT, enabled: true, dropins: [], contents };
}
