// The planned collectors, in the order of their parts in a node's request and of their facts in
// `clusterctl facts`. Each asks only of the nodes it applies to, and only when a selected check
// names its fact in `needs` (`--only net` asks none of them). Add a collector here (and the check
// that reads its fact): nothing else lists the facts.
import type { PlannedFactsOf } from '../planned-collector.js';
import { etcd } from './etcd.js';
import { etcdReach } from './etcd-reach.js';
import { etcdctlVersion } from './etcdctl-version.js';
import { flannelConfig } from './flannel-config.js';
import { kube } from './kube.js';
import { provisioned } from './provisioned.js';

export const PLANNED_COLLECTORS = [etcd, flannelConfig, etcdReach, etcdctlVersion, provisioned, kube] as const;

export type PlannedCollectors = (typeof PLANNED_COLLECTORS)[number];

// The facts only a planned collector fills: what a check names in `needs`.
export type PlannedFact = PlannedCollectors['fact'];
export type PlannedFacts = PlannedFactsOf<PlannedCollectors>;
