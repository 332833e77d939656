import { describeAttempt, describeCut, MARKER, sectionFile, splitSections } from '../probe.js';
import { becomeHint, sudoFix, sudoRefusal, SUDO } from '../../util/become.js';
import type { ProbeSectionOutput } from '../probe.js';
import { excerpt, looksLikeJson } from './common.js';
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
import { parseEtcdctlVersion, parseFlanneldVersion } from './etcdctl-version.js';
import { parseSystemctlCat } from './systemd-unit.js';
import type { NodeFacts } from '../types.js';

// Every problem starts with the section name and ": ", so a check can find the one that
// explains a null fact (see checks/result.ts).
export function sectionProblem(problems: string[], section: string): string | undefined {
  return problems.find((p) => p.startsWith(`${section}: `));
}

// A read the SSH user was denied (become: none), or sudo refused (become: sudo): what to do.
function accessHint(section: string, body: string): string {
  const file = sectionFile(section);
  if (!file) return '';
  const refusal = sudoRefusal(body);
  if (refusal) return `; sudo refused \`${SUDO} cat ${file}\`: ${sudoFix('the SSH user')}`;
  if (/Permission denied/i.test(body)) return `; ${becomeHint('the SSH user')}`;
  return '';
}

// Turn the probe's stdout into facts. Never throws: whatever is missing, failed or unreadable
// becomes null plus a sentence in `problems`.
export function parseFacts(stdout: string): NodeFacts {
  const problems: string[] = [];
  const sections = splitSections(stdout);
  const complete = stdout.includes(`${MARKER}done`);

  // The section's output when its command succeeded; otherwise records why not.
  function get(name: string, missingFileIsNull = false): ProbeSectionOutput | null {
    const s = sections.get(name);
    if (!s) {
      problems.push(`${name}: missing from the probe output${complete ? '' : ' (output cut short?)'}`);
      return null;
    }
    // Over its budget: not read, and said so; the other sections are whole.
    if (s.cut) {
      problems.push(`${name}: ${describeCut(name, s.fmt, s.cut.size)}`);
      return null;
    }
    if (s.rc === 0) return s;
    if (missingFileIsNull && isMissingFile(s.rc, s.body)) return null;
    const why = excerpt(s.body);
    problems.push(`${name}: ${describeAttempt(name, s.fmt)} failed (rc=${s.rc})${why ? `: ${why}` : ''}${accessHint(name, s.body)}`);
    return null;
  }

  function read<T>(name: string, s: ProbeSectionOutput | null, parsed: (s: ProbeSectionOutput) => Parsed<T>): T | null {
    if (!s) return null;
    const result = parsed(s);
    if (result.ok) return result.value;
    problems.push(`${name}: could not read the output of ${describeAttempt(name, s.fmt)}: ${result.error}`);
    return null;
  }

  const hostname = get('hostname');
  const hostnameFile = get('hostname.file', true);
  const resolv = sections.get('resolv');
  const facts: NodeFacts = {
    hostname: hostname ? parseHostname(hostname.body) : null,
    hostnameFile: hostnameFile ? parseHostname(hostnameFile.body) : null,
    // Sniff rather than trust fmt: old `ip -j route` exits 0 and prints text.
    addresses: read('addresses', get('addresses'), (s) =>
      looksLikeJson(s.body) ? parseAddressesJson(s.body) : parseAddressesText(s.body),
    ),
    routes: read('routes', get('routes'), (s) =>
      looksLikeJson(s.body) ? parseRoutesJson(s.body) : parseRoutesText(s.body),
    ),
    // No resolv.conf means no nameservers configured: a fact for net.dns to fail on.
    resolv:
      resolv && isMissingFile(resolv.rc, resolv.body)
        ? { nameservers: [], search: [] }
        : (read('resolv', get('resolv'), (s) => ({ ok: true, value: parseResolv(s.body) }))),
    problems,
  };
  const env = sections.get('flannel.env');
  facts.subnetEnv =
    env && isMissingFile(env.rc, env.body)
      ? { present: false }
      : read('flannel.env', get('flannel.env'), (s) => ({ ok: true, value: parseSubnetEnv(s.body) }));
  facts.links = read('links', get('links'), (s) => (looksLikeJson(s.body) ? parseLinksJson(s.body) : parseLinksText(s.body)));
  const init = get('init');
  facts.init = init ? parseInit(init.body) : null;
  // Without systemd as PID 1, systemctl fails by design; the service check says why from `init`.
  const units = sections.get('units');
  facts.units = units && units.rc !== 0 && facts.init !== null && facts.init !== 'systemd' ? null : read('units', get('units'), (s) => parseUnits(s.body));
  Object.assign(facts, systemdFacts(sections, facts.init, get, read));
  readEvidence(sections, facts, read);
  return facts;
}

type Get = (name: string, missingFileIsNull?: boolean) => ProbeSectionOutput | null;
type Read = <T>(name: string, s: ProbeSectionOutput | null, parsed: (s: ProbeSectionOutput) => Parsed<T>) => T | null;

// What real systemd nodes add: unit files and their enablement, failed units' journals,
// resolved's upstream servers, Ignition's result file.
function systemdFacts(sections: Map<string, ProbeSectionOutput>, init: string | null | undefined, get: Get, read: Read): Partial<NodeFacts> {
  const noSystemd = init !== null && init !== undefined && init !== 'systemd';
  // In section order, so problems read in the order of the probe.
  const files = sections.get('unit-files');
  const unitFiles = files && files.rc !== 0 && noSystemd ? null : read('unit-files', get('unit-files'), (s) => parseUnitFiles(s.body));
  const failed = noSystemd ? null : get('units.failed');
  const resolved = sections.get('resolv.resolved');
  // No such file: resolved is not running (net.dns says what that means with a stub resolv.conf).
  const resolvResolved = resolved && isMissingFile(resolved.rc, resolved.body) ? null : read('resolv.resolved', get('resolv.resolved'), (s) => ({ ok: true, value: parseResolv(s.body) }));
  const ignition = sections.get('ignition.result');
  const ignitionResult: NodeFacts['ignitionResult'] =
    ignition && isMissingFile(ignition.rc, ignition.body) ? { present: false } : read('ignition.result', get('ignition.result'), (s) => parseIgnitionResult(s.body));
  return { unitFiles, failedJournal: failed ? parseFailedJournal(failed.body) : null, resolvResolved, ignitionResult };
}

// The probe puts "| " before each line of a file's text (so no line can pass for a marker).
const unprefix = (body: string): string => body.split('\n').map((l) => (l.startsWith('| ') ? l.slice(2) : l === '|' ? '' : l)).join('\n');

// The sections that are evidence about flannel and etcdctl. A node without flanneld.service or a
// flanneld on PATH is common (that is no problem, only no evidence: null); a section missing
// altogether (an older probe's output) leaves the fact undefined.
function readEvidence(sections: Map<string, ProbeSectionOutput>, facts: NodeFacts, read: Read): void {
  const unit = sections.get('flannel.unit');
  if (unit) facts.flannelUnit = unit.rc === 0 ? read('flannel.unit', unit, (s) => parseSystemctlCat(unprefix(s.body))) : null;
  const flanneld = sections.get('flanneld.version');
  if (flanneld) facts.flanneldVersion = flanneld.rc === 0 ? read('flanneld.version', flanneld, (s) => parseFlanneldVersion(s.body)) : null;
  const etcdctl = sections.get('etcdctl.version');
  if (!etcdctl) return;
  if (etcdctl.rc === 0) facts.etcdctlVersion = read('etcdctl.version', etcdctl, (s) => parseEtcdctlVersion(s.body));
  else {
    facts.etcdctlVersion = null;
    facts.problems.push(`etcdctl.version: \`etcdctl version\` and \`etcdctl --version\` failed (rc=${etcdctl.rc})${excerpt(etcdctl.body) ? `: ${excerpt(etcdctl.body)}` : ''}`);
  }
}
