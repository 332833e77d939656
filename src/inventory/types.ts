// The normalized inventory: what every other layer reads. Produced only by load.ts.

export type Role = 'etcd' | 'master' | 'worker';
export type StrictHostKeyChecking = 'yes' | 'accept-new' | 'no';
export type SshSetting = 'user' | 'port' | 'identityFile' | 'knownHostsFile' | 'strictHostKeyChecking';

// A jump host; unset fields come from ~/.ssh/config, then from the node (user, keys), port 22.
export interface BastionSpec {
  host: string;
  port?: number;
  user?: string;
  identityFile?: string; // absolute path, ~ expanded
}

export interface RouteSpec {
  destination: string; // CIDR, e.g. 10.45.0.0/16
  gateway: string; // IPv4 address
}

export interface NetworkSpec {
  interface: string;
  address: string; // CIDR with host bits, e.g. 192.168.1.10/24
  gateway?: string;
  dns: string[];
  routes: RouteSpec[];
  ipv6AcceptRA?: boolean; // render: IPv6AcceptRA=yes; absent or false: no
}

import type { Become } from '../util/become.js';
import type { Provisioned } from './provisioned.js';

export type { Become };

export interface NodeSpec {
  name: string;
  host: string;
  port: number;
  user: string;
  identityFile?: string; // absolute path, ~ expanded
  knownHostsFile: string | string[]; // absolute path(s), ~ expanded; accept-new writes to the first
  strictHostKeyChecking: StrictHostKeyChecking;
  bastion?: BastionSpec; // reach the node through this jump host (ssh2 forwardOut)
  become: Become; // none: everything runs as user; sudo: what needs root runs through `sudo -n --`
  // Connection settings the inventory left unset (built-in defaults filled them): ~/.ssh/config
  // may override exactly these. Absent: every setting was given explicitly.
  unsetSsh?: SshSetting[];
  roles: Role[];
  hostname: string; // expected; defaults to name
  network?: NetworkSpec;
  etcd?: NodeEtcdSpec;
  kubernetes?: NodeKubernetesSpec; // masters and workers of an inventory with cluster.kubernetes
  // SSH public keys `clusterctl render` gives the login user (node's own, else defaults:).
  sshAuthorizedKeys?: string[];
  sshAuthorizedKeysFile?: string; // absolute path, ~ expanded; read by render, not by load
  // What the node's provisioning config has Ignition write: set only on an inventory imported
  // from configs (`clusterctl import`, `verify --from`), for the drift checks.
  provisioned?: Provisioned;
}

export interface NodeEtcdSpec {
  endpoints?: string[]; // overrides cluster.etcd.endpoints as seen from this node
  name?: string; // the etcd member name (ETCD_NAME); render defaults it to the node name
}

// A master or worker as the Kubernetes API knows it.
export interface NodeKubernetesSpec {
  nodeName: string; // the Node's name; default: hostname lowercased, as the kubelet registers it
}

export interface KubernetesSpec {
  // Absolute path, ~ expanded. Absent: found at run time as kubectl does ($KUBECONFIG, then
  // ~/.kube/config), so the inventory need not name a file on every operator's machine.
  kubeconfig?: string;
  pkiDir: string; // render: on the nodes, certificates and keys the operator provides
  serviceClusterIpRange: string; // render: kube-apiserver --service-cluster-ip-range
}

export interface ClusterSpec {
  // TLS files are paths on the nodes, handed to etcdctl as they are.
  etcd: { endpoints: string[]; caFile?: string; certFile?: string; keyFile?: string; initialClusterToken?: string };
  flannel: FlannelSpec;
  services?: ServicesSpec; // units that must be active, per role; absent: no service checks
  kubernetes?: KubernetesSpec; // absent: no kube.* checks, and render writes no Kubernetes units
}

export type FlannelEtcdApi = 'auto' | 'v2' | 'v3';

export interface FlannelSpec {
  network?: string; // expected Network of the config key
  enabled: boolean; // flannel checks run only when true (an inventory with a flannel section)
  etcdApi: FlannelEtcdApi; // keyspace flannel reads; auto: look in both
  configKey: string; // default /coreos.com/network/config
  subnetLen?: number; // expected SubnetLen
  configDropin?: boolean; // render: write the guide's ExecStartPre drop-in that sets the key
  datapathPeers?: number; // flannel.datapath: peers each node pings (default 2)
}

export interface ServicesSpec {
  all: string[];
  etcd: string[];
  master: string[];
  worker: string[];
}

export interface Inventory {
  path: string; // absolute path of the file it came from
  cluster: ClusterSpec;
  nodes: NodeSpec[];
}
