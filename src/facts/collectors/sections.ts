// The section collectors, in the probe's order: the probe (facts/probe.ts) is their sections, one
// line each, in this order; its reader (parse/probe-output.ts) gives each its own section.
// Add a collector here (and a check that reads its fact): nothing else lists the facts.
import type { SectionFactsOf } from '../collector.js';
import { addresses } from './addresses.js';
import { cni } from './cni.js';
import { failedJournal } from './failed-journal.js';
import { flannelUnit } from './flannel-unit.js';
import { flanneldVersion } from './flanneld-version.js';
import { hostname } from './hostname.js';
import { hostnameFile } from './hostname-file.js';
import { ignitionResult } from './ignition-result.js';
import { init } from './init.js';
import { kubeProcs } from './kube-procs.js';
import { kubeUnits } from './kube-units.js';
import { links } from './links.js';
import { resolv } from './resolv.js';
import { resolvResolved } from './resolv-resolved.js';
import { routes } from './routes.js';
import { subnetEnv } from './subnet-env.js';
import { unitFiles } from './unit-files.js';
import { units } from './units.js';

export const SECTION_COLLECTORS = [
  hostname,
  hostnameFile,
  addresses,
  routes,
  resolv,
  subnetEnv,
  links,
  init,
  units,
  unitFiles,
  failedJournal,
  resolvResolved,
  ignitionResult,
  flannelUnit,
  flanneldVersion,
  kubeProcs,
  kubeUnits,
  cni,
] as const;

export type SectionCollectors = (typeof SECTION_COLLECTORS)[number];

// What the probe alone tells of a node: what a planned collector's plan may read.
export type ProbeFacts = SectionFactsOf<SectionCollectors>;
