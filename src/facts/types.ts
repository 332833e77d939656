// Facts are what a node actually looks like, parsed from the probe's output. They never
// know what the inventory expects.
import type { EtcdApi } from '../etcdctl/client.js';
import type { EndpointHealth, EtcdMember } from '../etcdctl/cluster-parse.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { Transport } from '../transport/types.js';
import type { EtcdctlVersionFact } from './parse/etcdctl-version.js';
import type { UnitFile } from './parse/systemd-unit.js';
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

export interface NodeFacts {
  hostname: string | null; // runtime hostname (`hostname`); null when it could not be read
  hostnameFile: string | null; // first line of /etc/hostname; null when the file is missing
  addresses: AddressFact[] | null; // null when the section could not be parsed
  routes: RouteFact[] | null;
  resolv: ResolvFact | null;
  problems: string[]; // why a section is null, in words a user can act on
  // Optional so facts built by hand (tests) stay short; parseFacts always sets them.
  subnetEnv?: SubnetEnvFact | null; // /run/flannel/subnet.env
  links?: LinkFact[] | null; // `ip -d link`
  init?: string | null; // PID 1's name: "systemd" or something else
  units?: UnitFact[] | null; // systemd services known to the node
  unitFiles?: UnitFileFact[] | null; // service unit files and their enablement (systemd)
  failedJournal?: Record<string, string[]> | null; // last journal lines of each failed service
  resolvResolved?: ResolvFact | null; // /run/systemd/resolve/resolv.conf; null: no such file
  ignitionResult?: IgnitionResultFact | null; // /etc/.ignition-result.json
  flannelUnit?: UnitFile[] | null; // flanneld.service and its drop-ins; null: the node has none (or none readable)
  flanneldVersion?: string | null; // `flanneld --version` where flanneld is on PATH; null: not there
  etcdctlVersion?: EtcdctlVersionFact | null; // the node's etcdctl and the API it speaks by default
  flannelConfig?: FlannelConfigFact; // the config key, read through etcd (gatherer)
  etcd?: EtcdFacts; // etcd nodes: health and member list through etcdctl (gatherer)
  etcdReach?: EtcdReachFact; // flannel nodes: TCP connects to the etcd endpoints flanneld uses (gatherer)
}

// Each etcd endpoint a node's flanneld dials, connected to from the node; or why it could not be tried.
export type EtcdReachFact =
  | { ok: true; from: string; results: ReachResult[]; invalid: { endpoint: string; why: string }[] }
  | { ok: false; from: string; endpoints: string[]; error: string };

// flanneld's lease file; { present: false } when the file does not exist.
export type SubnetEnvFact =
  | { present: false }
  | { present: true; vars: Record<string, string>; network?: string; subnet?: string; mtu?: number; ipmasq?: boolean };

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

// Ignition's record of provisioning; { present: false } when the file does not exist.
export type IgnitionResultFact =
  | { present: false }
  | { present: true; userConfigProvided: boolean; provisioningDate?: string; provisioningBootId?: string };

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

// The gatherers that exist beyond the base probe; a check names those it needs (Check.needs).
export type GathererName = 'etcd' | 'flannel.config' | 'flannel.etcd-reach';

// A source of facts beyond the base probe (etcd, flannel …): it adds its own field to the
// node's facts. Gatherers run in order over the node's one connection; keep round trips few.
export interface Gatherer {
  name: GathererName;
  applies(node: NodeSpec, inventory: Inventory): boolean;
  gather(transport: Transport, node: NodeSpec, inventory: Inventory, timeoutMs: number, facts: NodeFacts): Promise<void>;
}
