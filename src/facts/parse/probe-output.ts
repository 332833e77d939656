import { describeAttempt, describeCut, sectionFile, splitSections } from '../probe.js';
import { becomeHint, sudoFix, sudoRefusal, SUDO } from '../../util/become.js';
import type { ProbeSectionOutput } from '../probe.js';
import { excerpt, looksLikeJson, ok } from './common.js';
import type { Parsed } from './common.js';
import { parseAddressesJson, parseAddressesText } from './addresses.js';
import { isMissingFile, parseHostname } from './hostname.js';
import { parseResolv } from './resolv.js';
import { parseRoutesJson, parseRoutesText } from './routes.js';
import { parseLinksJson, parseLinksText } from './links.js';
import { parseSubnetEnv } from './subnet-env.js';
import { parseInit, parseUnits } from './units.js';
import { parseUnitFiles } from './unit-files.js';
import { parseFailedJournal } from './failed-journal.js';
import { parseIgnitionResult } from './ignition-result.js';
import { parseFlanneldVersion } from './etcdctl-version.js';
import { parseUnitWithEnvironment } from './systemd-unit.js';
import { parseCniSection, parseKubeProcs, parseKubeUnits } from './kube.js';
import { absentFact, errorFact, okFact, valueOf } from '../types.js';
import type { Fact, NodeFacts } from '../types.js';

// A read the SSH user was denied (become: none), or sudo refused (become: sudo): what to do.
function accessHint(section: string, body: string): string {
  const file = sectionFile(section);
  if (!file) return '';
  const refusal = sudoRefusal(body);
  if (refusal) return `; sudo refused \`${SUDO} cat ${file}\`: ${sudoFix('the SSH user')}`;
  if (/Permission denied/i.test(body)) return `; ${becomeHint('the SSH user')}`;
  return '';
}

const sniff = <T>(json: (b: string) => Parsed<T>, text: (b: string) => Parsed<T>) => (s: ProbeSectionOutput) => (looksLikeJson(s.body) ? json(s.body) : text(s.body));
const always = <T>(f: (body: string) => T) => (s: ProbeSectionOutput): Parsed<T> => ok(f(s.body));

// How a section that did not exit 0 reads as a fact when its failure is an answer: a missing
// file (no lease yet, no resolved, no Ignition), no flanneld.service, no systemd. undefined: an error.
type Otherwise<T> = (s: ProbeSectionOutput, init: string | undefined) => Fact<T> | undefined;
const missingFile = <T>(fact: Fact<T>): Otherwise<T> => (s) => (isMissingFile(s.rc, s.body) ? fact : undefined);
const withoutSystemd = <T>(): Otherwise<T> => (_s, init) => (init !== undefined && init !== 'systemd' ? absentFact(`PID 1 is '${init}', not systemd`) : undefined);

interface Row<K extends keyof NodeFacts> {
  fact: K;
  section: string;
  // The output of a section that exited 0: a value, or why it is unreadable; `fact` where the
  // output itself may say absent (`whole`: a CNI directory with no config in it).
  read?: (s: ProbeSectionOutput) => Parsed<NodeFacts[K] extends Fact<infer T> ? T : never>;
  whole?: (s: ProbeSectionOutput) => NodeFacts[K];
  otherwise?: Otherwise<NodeFacts[K] extends Fact<infer T> ? T : never>;
  tried?: string; // what failed, where the last attempt alone would not say it: "`etcdctl version` and `etcdctl --version`"
}
const row = <K extends keyof NodeFacts>(r: Row<K>): Row<K> => r;

// The one table from probe section to fact, in probe order. `init` comes first: whether a
// systemd section's failure means "no systemd" depends on it.
const TABLE = [
  row({ fact: 'init', section: 'init', read: always(parseInit) }),
  row({ fact: 'hostname', section: 'hostname', read: always(parseHostname) }),
  row({ fact: 'hostnameFile', section: 'hostname.file', read: always(parseHostname), otherwise: missingFile(absentFact('/etc/hostname does not exist')) }),
  row({ fact: 'addresses', section: 'addresses', read: sniff(parseAddressesJson, parseAddressesText) }),
  // Old `ip -j route` exits 0 and prints text: sniff rather than trust fmt.
  row({ fact: 'routes', section: 'routes', read: sniff(parseRoutesJson, parseRoutesText) }),
  // No resolv.conf means no nameservers configured: a fact for net.dns to fail on.
  row({ fact: 'resolv', section: 'resolv', read: always(parseResolv), otherwise: missingFile(okFact({ nameservers: [], search: [] })) }),
  row({ fact: 'subnetEnv', section: 'flannel.env', read: always(parseSubnetEnv), otherwise: missingFile(absentFact('no /run/flannel/subnet.env')) }),
  row({ fact: 'links', section: 'links', read: sniff(parseLinksJson, parseLinksText) }),
  row({ fact: 'units', section: 'units', read: (s) => parseUnits(s.body), otherwise: withoutSystemd() }),
  row({ fact: 'unitFiles', section: 'unit-files', read: (s) => parseUnitFiles(s.body), otherwise: withoutSystemd() }),
  row({ fact: 'failedJournal', section: 'units.failed', read: always(parseFailedJournal), otherwise: withoutSystemd() }),
  // No such file: resolved is not running (net.dns says what that means with a stub resolv.conf).
  row({ fact: 'resolvResolved', section: 'resolv.resolved', read: always(parseResolv), otherwise: missingFile(absentFact('no /run/systemd/resolve/resolv.conf')) }),
  row({ fact: 'ignitionResult', section: 'ignition.result', read: (s) => parseIgnitionResult(s.body), otherwise: missingFile(absentFact('no /etc/.ignition-result.json')) }),
  // A node without flanneld.service or a flanneld on PATH is common: no evidence, no problem.
  row({ fact: 'flannelUnit', section: 'flannel.unit', read: (s) => parseUnitWithEnvironment(s.body), otherwise: () => absentFact('no flanneld.service on the node') }),
  row({ fact: 'flanneldVersion', section: 'flanneld.version', read: (s) => parseFlanneldVersion(s.body), otherwise: () => absentFact('no flanneld on PATH') }),
  row({ fact: 'kubeProcs', section: 'kube.procs', read: (s) => parseKubeProcs(s.body) }),
  row({ fact: 'kubeUnits', section: 'kube.units', read: (s) => parseKubeUnits(s.body), otherwise: (_s, init) => (init !== 'systemd' ? absentFact(`PID 1 is '${init ?? '?'}', not systemd`) : undefined) }),
  row({ fact: 'cni', section: 'cni', whole: (s) => parseCniSection(s.body), otherwise: (s) => (s.rc === 1 && s.body.trim() === '' ? absentFact('/etc/cni/net.d does not exist') : undefined) }),
] as const;

// The facts the batch fills, until it does: not asked (no selected check needs them, or the
// node's roles do not call for them).
const NOT_ASKED = absentFact('not gathered: no selected check needs it here');

// Turn the probe's reply (framed with its request's nonce) into facts. Never throws: whatever is
// missing, failed or unreadable becomes an error fact whose text starts with the section's name.
export function parseFacts(stdout: string, nonce: string): NodeFacts {
  const sections = splitSections(stdout, nonce);
  const complete = sections.has('done');
  let init: string | undefined;
  const facts: Record<string, Fact<unknown>> = { etcd: NOT_ASKED, flannelConfig: NOT_ASKED, etcdReach: NOT_ASKED, etcdctlVersion: NOT_ASKED, provisioned: NOT_ASKED, kube: NOT_ASKED };
  for (const r of TABLE) {
    const f = readSection(r as Row<keyof NodeFacts>, sections.get(r.section), complete, init);
    facts[r.fact] = f;
    if (r.fact === 'init') init = valueOf(f as Fact<string>);
  }
  return facts as unknown as NodeFacts;
}

function readSection<K extends keyof NodeFacts>(r: Row<K>, s: ProbeSectionOutput | { error: string } | undefined, complete: boolean, init: string | undefined): Fact<unknown> {
  const name = r.section;
  if (!s) return errorFact(`${name}: missing from the probe output${complete ? '' : ' (output cut short?)'}`);
  if ('error' in s) return errorFact(`${name}: ${s.error}`);
  // Over its budget: not read, and said so; the other sections are whole.
  if (s.cut) return errorFact(`${name}: ${describeCut(name, s.fmt, s.cut.size)}`);
  if (s.rc !== 0) {
    const answer = r.otherwise?.(s, init);
    if (answer) return answer;
    const why = excerpt(s.body);
    return errorFact(`${name}: ${r.tried ?? describeAttempt(name, s.fmt)} failed (rc=${s.rc})${why ? `: ${why}` : ''}${accessHint(name, s.body)}`);
  }
  if (r.whole) return r.whole(s);
  const parsed = r.read ? r.read(s) : { ok: false as const, error: 'no reader' };
  if (parsed.ok) return okFact(parsed.value);
  return errorFact(`${name}: could not read the output of ${describeAttempt(name, s.fmt)}: ${parsed.error}`);
}
