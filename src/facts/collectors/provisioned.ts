// provisioned: verify --from: the files and units the node's config provisioned, as they are now
// (mode, size and sha256 computed on the node; enablement), by gatherers/provisioned.ts.
import { okFact } from '../../util/fact.js';
import { parseProvisioned, provisionedScript } from '../gatherers/provisioned.js';
import type { ProvisionedFact } from '../gatherers/provisioned.js';
import { planned } from '../planned-collector.js';

export const provisioned = planned({
  fact: 'provisioned',
  label: 'provisioned',
  applies: (node) => node.provisioned !== undefined,
  usesProbe: false,
  prefix: 'prov',
  plan: ({ node }) => ({ spec: node.provisioned ?? { files: [], units: [] }, become: node.become }),
  script: ({ spec, become }) => provisionedScript(spec, become),
  read: ({ spec }, reply) => okFact<ProvisionedFact>(parseProvisioned(reply.parts, spec)),
});
