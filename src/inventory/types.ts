// The normalized inventory: what every other layer reads. Produced only by load.ts.

export type Role = 'etcd' | 'master' | 'worker';
export type StrictHostKeyChecking = 'yes' | 'accept-new' | 'no';

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
}

export interface NodeSpec {
  name: string;
  host: string;
  port: number;
  user: string;
  identityFile?: string; // absolute path, ~ expanded
  knownHostsFile: string; // absolute path, ~ expanded
  strictHostKeyChecking: StrictHostKeyChecking;
  roles: Role[];
  hostname: string; // expected; defaults to name
  network?: NetworkSpec;
}

export interface ClusterSpec {
  etcd: { endpoints: string[] };
  flannel: { network?: string };
}

export interface Inventory {
  path: string; // absolute path of the file it came from
  cluster: ClusterSpec;
  nodes: NodeSpec[];
}
