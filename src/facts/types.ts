// Facts are what a node actually looks like, parsed from the probe's output. They never
// know what the inventory expects.
import type { EtcdApi } from '../etcdctl/client.js';
import type { EndpointHealth, EtcdMember } from '../etcdctl/cluster-parse.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { EtcdctlVersionFact } from './parse/etcdctl-version.js';
import type { UnitFile } from './parse/systemd-unit.js';
import type { ReachResult } from './gatherers/etcd-reach-script.js';
import type { ProvisionedFact } from './gatherers/provisioned.js';
import type { KubeProcess } from './parse/kube.js';
import type { CniConfig } from '../kube/cni.js';
import type { KubeNodeEvidence } from '../kube/evidence.js';

export type { EtcdctlVersionFact } from './parse/etcdctl-version.js';
export type { UnitFile } from './parse/systemd-unit.js';

export interface AddressFact {
  ifname: string;
  family: 'inet' | 'inet6';
  address: string; // without prefix
  prefixlen: number;
}

export interface RouteFact {
  dst: string; // 'default' or a CIDR such as 10.45.0.0/16 (host routes get /32)
  gateway?: string;
  dev?: string;
  protocol?: string;
  scope?: string;
}

export interface ResolvFact {
  nameservers: string[];
  search: string[];
}

import type { Fact } from '../util/fact.js';

export type { Fact } from '../util/fact.js';
export { absentFact, errorFact, has, okFact, valueOf } from '../util/fact.js';

export interface NodeFacts {
  hostname: Fact<string>; // runtime hostname (`hostname`)
  hostnameFile: Fact<string>; // first line of /etc/hostname; absent: no such file
  addresses: Fact<AddressFact[]>;
  routes: Fact<RouteFact[]>;
  resolv: Fact<ResolvFact>; // a missing /etc/resolv.conf is no nameservers: ok, empty
  subnetEnv: Fact<SubnetEnvFact>; // /run/flannel/subnet.env; absent: flanneld has not taken a lease
  links: Fact<LinkFact[]>; // `ip -d link`
  init: Fact<string>; // PID 1's name: "systemd" or something else
  units: Fact<UnitFact[]>; // systemd services known to the node; absent: PID 1 is not systemd
  unitFiles: Fact<UnitFileFact[]>; // service unit files and their enablement; absent: no systemd
  failedJournal: Fact<Record<string, string[]>>; // last journal lines of each failed service
  resolvResolved: Fact<ResolvFact>; // /run/systemd/resolve/resolv.conf; absent: no such file
  ignitionResult: Fact<IgnitionResultFact>; // /etc/.ignition-result.json; absent: no such file
  flannelUnit: Fact<UnitFile[]>; // flanneld.service and its drop-ins; absent: the node has none
  flanneldVersion: Fact<string>; // `flanneld --version` where flanneld is on PATH; absent: not there
  kubeProcs: Fact<KubeProcess[]>; // running kubelet, kube-apiserver, hyperkube: their command lines
  kubeUnits: Fact<Record<string, string>>; // kubelet.service, kube-apiserver.service as `systemctl cat` prints them; absent: no systemd
  cni: Fact<CniConfig>; // the CNI config the runtime uses; absent: none
  // From the batch (the second round trip); absent where it does not apply or was not asked for.
  etcd: Fact<EtcdFacts>; // etcd nodes: health and member list through etcdctl
  flannelConfig: Fact<FlannelConfigFact>; // etcd nodes: the config key in each keyspace
  etcdReach: Fact<EtcdReachFact>; // flannel nodes: TCP connects to the etcd endpoints flanneld uses
  etcdctlVersion: Fact<EtcdctlVersionFact>; // a node whose flanneld drop-in runs etcdctl: its version and the API it speaks by default
  provisioned: Fact<ProvisionedFact>; // verify --from: the files and units the node's config provisioned, as they are now
  kube: Fact<KubeNodeEvidence>; // masters and workers of a cluster.kubernetes inventory: what the kube.* checks read
}

// The facts the batch fills (the rest come from the constant probe).
export type BatchFactName = 'etcd' | 'flannelConfig' | 'etcdReach' | 'etcdctlVersion' | 'provisioned' | 'kube';

// Each etcd endpoint a node's flanneld dials, connected to from the node; or why it could not be tried.
export type EtcdReachFact =
  | { ok: true; from: string; results: ReachResult[]; invalid: { endpoint: string; why: string }[] }
  | { ok: false; from: string; endpoints: string[]; error: string };

// flanneld's lease file.
export interface SubnetEnvFact {
  vars: Record<string, string>;
  network?: string;
  subnet?: string;
  mtu?: number;
  ipmasq?: boolean;
}

export interface LinkFact {
  ifname: string;
  kind?: string; // vxlan, tun, veth, bridge … (from -d details)
  flags: string[];
  up: boolean; // administratively up (flag UP)
  operstate?: string;
  vxlanId?: number;
}

export interface UnitFact {
  unit: string; // flanneld.service
  load: string; // loaded | not-found | masked …
  active: string; // active | inactive | failed | activating …
  sub: string; // running | dead | exited …
  description?: string;
}

export interface UnitFileFact {
  unit: string; // etcd-member.service, getty@.service
  state: string; // enabled | enabled-runtime | disabled | static | indirect | masked | generated …
  preset?: string; // vendor preset (systemd >= 245)
}

// Ignition's record of provisioning.
export interface IgnitionResultFact {
  userConfigProvided: boolean;
  provisioningDate?: string;
  provisioningBootId?: string;
}

// One keyspace's answer for the flannel config key; unserved: etcd does not serve that API (v2
// on etcd ≥ 3.4 without --enable-v2).
export type FlannelKeyRead = { ok: true; found: boolean; value: string } | { ok: false; error: string; unserved?: boolean };

export interface FlannelConfigFact {
  key: string;
  v2?: FlannelKeyRead; // absent: that keyspace was not asked
  v3?: FlannelKeyRead;
}

// What an etcd node's etcdctl says about the cluster (gathered for etcd.health / etcd.members).
export interface EtcdFacts {
  etcdctl: boolean; // false: not in the SSH user's PATH on the node
  api: EtcdApi | null; // the API the member list came from; null when neither answered
  health: EndpointHealth[] | null; // null: could not be read (healthError says why)
  healthError?: string;
  healthFrom?: string; // how health was read when not as v3 JSON: "v3 endpoint health in text, as etcdctl 3.3 prints it …"
  members: EtcdMember[] | null;
  membersError?: string;
  // etcdctl could not run as it must (sudo refused; the SSH user may not read a TLS file): why,
  // with what to do. etcd itself was never asked, so the checks say `error`, not `fail`.
  blocked?: string;
}

// A node's facts, or why there are none.
export type Gathered = { ok: true; facts: NodeFacts } | { ok: false; reason: string };

// The sources of facts beyond the base probe (etcd, flannel …), all in the node's one batch
// (facts/batch.ts); a check names those it needs (Check.needs).
export type GathererName = 'etcd' | 'flannel.config' | 'flannel.etcd-reach' | 'etcdctl.version' | 'provisioned' | 'kube';

export interface Gatherer {
  name: GathererName;
  applies(node: NodeSpec, inventory: Inventory): boolean;
}
