// Facts are what a node actually looks like, parsed from the probe's output. They never
// know what the inventory expects.

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
}
