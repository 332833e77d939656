import { describeAttempt, describeCut, sectionFile, splitSections } from '../probe.js';
import { becomeHint, sudoFix, sudoRefusal, SUDO } from '../../util/become.js';
import { absentFact, errorFact, okFact, valueOf } from '../../util/fact.js';
import type { Fact } from '../../util/fact.js';
import type { ProbeSectionOutput, SectionCollector } from '../collector.js';
import { init } from '../collectors/init.js';
import { PLANNED_COLLECTORS } from '../collectors/planned.js';
import { SECTION_COLLECTORS } from '../collectors/sections.js';
import type { NodeFacts } from '../types.js';
import { excerpt } from './common.js';

// A read the SSH user was denied (become: none), or sudo refused (become: sudo): what to do.
function accessHint(section: string, body: string): string {
  const file = sectionFile(section);
  if (!file) return '';
  const refusal = sudoRefusal(body);
  if (refusal) return `; sudo refused \`${SUDO} cat ${file}\`: ${sudoFix('the SSH user')}`;
  if (/Permission denied/i.test(body)) return `; ${becomeHint('the SSH user')}`;
  return '';
}

// A planned collector's fact until it is asked: not asked (no selected check needs it, or the
// node's roles do not call for it).
const NOT_ASKED = absentFact('not gathered: no selected check needs it here');

// Turn the probe's reply (framed with its request's nonce) into facts: each section collector
// reads its own section (`init` first: whether a systemd section's failure means "no systemd"
// depends on it), and each planned collector's fact starts as not asked. Never throws: whatever
// is missing, failed or unreadable becomes an error fact whose text starts with the section's name.
export function parseFacts(stdout: string, nonce: string): NodeFacts {
  const sections = splitSections(stdout, nonce);
  const complete = sections.has('done');
  const facts: Record<string, Fact<unknown>> = {};
  for (const c of PLANNED_COLLECTORS) facts[c.fact] = NOT_ASKED;
  const initFact = readSection(init, sections.get(init.section.name), complete, undefined);
  facts[init.fact] = initFact;
  const pid1 = valueOf(initFact);
  const all: readonly SectionCollector<string, unknown>[] = SECTION_COLLECTORS;
  for (const c of all) {
    if (c !== init) facts[c.fact] = readSection(c, sections.get(c.section.name), complete, pid1);
  }
  return facts as unknown as NodeFacts;
}

function readSection<T>(r: SectionCollector<string, T>, s: ProbeSectionOutput | { error: string } | undefined, complete: boolean, init: string | undefined): Fact<T> {
  const name = r.section.name;
  if (!s) return errorFact(`${name}: missing from the probe output${complete ? '' : ' (output cut short?)'}`);
  if ('error' in s) return errorFact(`${name}: ${s.error}`);
  // Over its budget: not read, and said so; the other sections are whole.
  if (s.cut) return errorFact(`${name}: ${describeCut(name, s.fmt, s.cut.size)}`);
  if (s.rc !== 0) {
    const answer = r.otherwise?.(s, init);
    if (answer) return answer;
    const why = excerpt(s.body);
    return errorFact(`${name}: ${describeAttempt(name, s.fmt)} failed (rc=${s.rc})${why ? `: ${why}` : ''}${accessHint(name, s.body)}`);
  }
  if (r.whole) return r.whole(s);
  const parsed = r.read ? r.read(s) : { ok: false as const, error: 'no reader' };
  if (parsed.ok) return okFact(parsed.value);
  return errorFact(`${name}: could not read the output of ${describeAttempt(name, s.fmt)}: ${parsed.error}`);
}
