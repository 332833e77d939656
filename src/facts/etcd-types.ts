import type { EtcdApi } from './client.js';
import type { EndpointHealth, EtcdMember } from './cluster-parse.js';

// What an etcd node's etcdctl says about the cluster (gathered for etcd.health / etcd.members).
export interface EtcdFacts {
  etcdctl: boolean; // false: not in the SSH user's PATH on the node
  api: EtcdApi | null; // the API the member list came from; null when neither answered
  health: EndpointHealth[] | null; // null: could not be read (healthError says why)
  healthError?: string;
  members: EtcdMember[] | null;
  membersError?: string;
}
