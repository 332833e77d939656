// Which API a plain `etcdctl` speaks on a node, as a flanneld drop-in's ExecStartPre runs it
// (ETCDCTL_API unset): asked in the batch, and only of a node whose flanneld.service has a drop-in
// that writes the config key (flannel.dropin judges that line). etcdctl is a Go binary: ~8 ms of
// CPU a run, which every Container Linux node would pay for nothing in the constant probe.
// Constant text: no inventory value enters it. Its answer is part `etcdctl-version` (util/frames.ts).
import { excerpt } from '../parse/common.js';
import { parseEtcdctlVersion } from '../parse/etcdctl-version.js';
import type { EtcdctlVersionFact } from '../parse/etcdctl-version.js';
import { readFlanneldUnit } from '../parse/flanneld-unit.js';
import { absentFact, errorFact, okFact, valueOf } from '../../util/fact.js';
import type { Fact } from '../../util/fact.js';
import type { ProbeFacts } from '../collectors/sections.js';
import type { PartRead } from '../../util/frames.js';

// 3.4+ knows `version` (v3 by default); ≤ 3.3 speaks v2 and knows `--version`. Each run's
// errors are kept with its output; a missing etcdctl costs no process.
export const ETCDCTL_VERSION_SCRIPT = [
  'if command -v etcdctl >/dev/null 2>&1; then',
  '  v=$(ETCDCTL_API= etcdctl version 2>&1) || v=$(ETCDCTL_API= etcdctl --version 2>&1); r=$?',
  'else v="etcdctl: not found"; r=127; fi',
  'part etcdctl-version $r "" "$v"',
].join('\n');

// Ask only where an ExecStartPre of flanneld.service runs etcdctl (directly or in a `sh -c`
// script): only such a line can write the config key (flannel/dropin.ts says which do).
const RUNS_ETCDCTL = /(?:^|[\s/;&|'"=(])etcdctl(?:$|[\s;&|'")])/;
export function wantsEtcdctlVersion(probe: Pick<ProbeFacts, 'flannelUnit'>): boolean {
  const unit = valueOf(probe.flannelUnit);
  return unit !== undefined && readFlanneldUnit(unit).execStartPre.some((line) => line.argv.some((w) => RUNS_ETCDCTL.test(w)));
}

export const NOT_ASKED_VERSION = absentFact('not asked: no ExecStartPre of flanneld.service runs etcdctl');

// The batch's `etcdctl-version` part as the fact.
export function readEtcdctlVersion(part: PartRead | undefined): Fact<EtcdctlVersionFact> {
  if (!part) return errorFact('etcdctl.version: missing from the batch output (output cut short?)');
  if ('error' in part) return errorFact(`etcdctl.version: ${part.error}`);
  const { rc, body } = part;
  if (rc !== 0) {
    const why = excerpt(body);
    return errorFact(`etcdctl.version: \`etcdctl version\` and \`etcdctl --version\` failed (rc=${rc})${why ? `: ${why}` : ''}`);
  }
  const parsed = parseEtcdctlVersion(body);
  return parsed.ok ? okFact(parsed.value) : errorFact(`etcdctl.version: could not read the output of \`etcdctl version\`: ${parsed.error}`);
}
