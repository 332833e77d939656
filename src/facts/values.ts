// The values of a node's facts (what each collector reads into its Fact<T>); facts/types.ts
// holds NodeFacts itself, derived from the collectors.
import type { EtcdApi } from '../etcdctl/client.js';
import type { EndpointHealth, EtcdMember } from '../etcdctl/cluster-parse.js';
import type { ReachResult } from './gatherers/etcd-reach-script.js';

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

