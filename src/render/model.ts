// What `clusterctl render` decides for one node, before it is written in either format. The
// Ignition and CLC emitters read only this; neither looks at the inventory again.

export interface LoginUser {
  name: string; // the SSH login user of the node (core unless the inventory says otherwise)
  sshAuthorizedKeys: string[];
}

export interface FileSpec {
  path: string; // absolute
  mode: number; // e.g. 0o644
  contents: string;
}

export interface NamedText {
  name: string; // unit or drop-in file name
  contents: string;
}

// The etcd member, in the order of the CLC `etcd:` section and of the drop-in's Environment= lines.
export interface EtcdMember {
  name: string;
  listenClientUrls: string;
  advertiseClientUrls: string;
  listenPeerUrls: string;
  initialAdvertisePeerUrls: string;
  initialCluster: string;
  initialClusterToken: string;
  initialClusterState: 'new';
  // Flatcar's etcd ≥ 3.4 serves the v2 keyspace only when asked; flannel < 0.18 reads only v2.
  enableV2: boolean;
}

export interface FlannelClient {
  // The flannel release flanneld runs (FLANNEL_IMAGE_TAG=v<version>, ct's `flannel: version:`),
  // pinned only when the inventory needs one that reads the v3 keyspace.
  version?: string;
  etcdEndpoints: string; // comma-separated
  etcdPrefix?: string; // only when the config key is not under /coreos.com/network
  etcdCaFile?: string;
  etcdCertFile?: string;
  etcdKeyFile?: string;
}

export interface UnitSpec {
  name: string;
  enabled: boolean;
  dropins: NamedText[];
  contents?: string; // the whole unit, for units the OS does not ship (kubelet, kube-apiserver)
}

export interface NodeConfig {
  node: string; // inventory name; the output file is <node>.ign / <node>.clc.yaml
  user?: LoginUser; // absent: no key to give (render warns)
  files: FileSpec[]; // /etc/hostname …
  networkd: NamedText[]; // .network units (Ignition: files under /etc/systemd/network)
  etcd?: EtcdMember; // etcd nodes
  flannel?: FlannelClient; // nodes that run flanneld
  // Every unit this node enables, with drop-ins both formats write as they are; the etcd and
  // flannel drop-ins follow from `etcd`/`flannel` (Ignition) or their CLC sections (ct).
  units: UnitSpec[];
}

// Where Ignition puts networkd units (spec 3 has no networkd section).
export const NETWORKD_DIR = '/etc/systemd/network';
