// Facts are what a node actually looks like, parsed from the probe's output. They never
// know what the inventory expects.
import type { EtcdFacts } from '../etcd/types.js';

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
  flannelConfig?: FlannelConfigFact; // the config key, read through etcd (gatherer)
  etcd?: EtcdFacts; // etcd nodes: health and member list through etcdctl (gatherer)
}

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

// One keyspace's answer for the flannel config key.
export type FlannelKeyRead = { ok: true; found: boolean; value: string } | { ok: false; error: string };

export interface FlannelConfigFact {
  key: string;
  v2?: FlannelKeyRead; // absent: that keyspace was not asked
  v3?: FlannelKeyRead;
}
