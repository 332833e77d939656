// Which API a plain `etcdctl` speaks on a node, as a flanneld drop-in's ExecStartPre runs it
// (ETCDCTL_API unset): asked in the batch, and only of a node whose flanneld.service has a drop-in
// that writes the config key (flannel.dropin judges that line). etcdctl is a Go binary: ~8 ms of
// CPU a run, which every Container Linux node would pay for nothing in the constant probe.
// Constant text: no inventory value enters it. Node output comes back with "| " before each line.
import { excerpt } from '../parse/common.js';
import { parseEtcdctlVersion } from '../parse/etcdctl-version.js';
import type { EtcdctlVersionFact } from '../parse/etcdctl-version.js';
import { readFlanneldUnit } from '../parse/flanneld-unit.js';
import { absentFact, errorFact, okFact, valueOf } from '../types.js';
import type { Fact, NodeFacts } from '../types.js';

const MARK = '@@clusterctl-etcdctl-version';

// 3.4+ knows `version` (v3 by default); ≤ 3.3 speaks v2 and knows `--version`. Each run's
// errors are kept with its output; a missing etcdctl costs no process.
export const ETCDCTL_VERSION_SCRIPT = [
  'if command -v etcdctl >/dev/null 2>&1; then',
  '  v=$(ETCDCTL_API= etcdctl version 2>&1) || v=$(ETCDCTL_API= etcdctl --version 2>&1); r=$?',
  'else v="etcdctl: not found"; r=127; fi',
  `echo '${MARK} begin'`,
  'printf "%s\\n" "$v" | while IFS= read -r l; do printf "| %s\\n" "$l"; done',
  `echo "${MARK} end rc=$r"`,
].join('\n');

// Ask only where an ExecStartPre of flanneld.service runs etcdctl (directly or in a `sh -c`
// script): only such a line can write the config key (flannel/dropin.ts says which do).
const RUNS_ETCDCTL = /(?:^|[\s/;&|'"=(])etcdctl(?:$|[\s;&|'")])/;
export function wantsEtcdctlVersion(probe: Pick<NodeFacts, 'flannelUnit'>): boolean {
  const unit = valueOf(probe.flannelUnit);
  return unit !== undefined && readFlanneldUnit(unit).execStartPre.some((line) => line.argv.some((w) => RUNS_ETCDCTL.test(w)));
}

export const NOT_ASKED_VERSION = absentFact('not asked: no ExecStartPre of flanneld.service runs etcdctl');

export function readEtcdctlVersion(stdout: string): Fact<EtcdctlVersionFact> {
  const lines = stdout.split('\n');
  const begin = lines.indexOf(`${MARK} begin`);
  const endAt = lines.findIndex((l, i) => i > begin && l.startsWith(`${MARK} end rc=`));
  if (begin < 0 || endAt < 0) return errorFact('etcdctl.version: missing from the batch output (output cut short?)');
  const rc = Number(lines[endAt]?.slice(`${MARK} end rc=`.length));
  const body = lines
    .slice(begin + 1, endAt)
    .map((l) => (l.startsWith('| ') ? l.slice(2) : l === '|' ? '' : l))
    .join('\n');
  if (rc !== 0) {
    const why = excerpt(body);
    return errorFact(`etcdctl.version: \`etcdctl version\` and \`etcdctl --version\` failed (rc=${rc})${why ? `: ${why}` : ''}`);
  }
  const parsed = parseEtcdctlVersion(body);
  return parsed.ok ? okFact(parsed.value) : errorFact(`etcdctl.version: could not read the output of \`etcdctl version\`: ${parsed.error}`);
}
