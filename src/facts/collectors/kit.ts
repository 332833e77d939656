// What section collectors share: sizes, the file section, and the usual readings of a section.
import { absentFact } from '../../util/fact.js';
import type { Fact } from '../../util/fact.js';
import type { Otherwise, ProbeSection, ProbeSectionOutput } from '../collector.js';
import { looksLikeJson, ok } from '../parse/common.js';
import type { Parsed } from '../parse/common.js';
import { isMissingFile } from '../parse/hostname.js';

export const KiB = 1024;
export const MiB = 1024 * KiB;

// `cat FILE` is a builtin under bash (facts/framing.ts): a file costs no process.
export const fileSection = (name: string, file: string, budget: number): ProbeSection => ({ name, file, budget, attempts: [{ fmt: 'text', cmd: `cat ${file}` }] });

// JSON where the output is JSON (old `ip -j` prints text anyway), else text.
export const sniff = <T>(json: (b: string) => Parsed<T>, text: (b: string) => Parsed<T>) => (s: ProbeSectionOutput) => (looksLikeJson(s.body) ? json(s.body) : text(s.body));
export const always = <T>(f: (body: string) => T) => (s: ProbeSectionOutput): Parsed<T> => ok(f(s.body));

// A missing file is an answer (no lease yet, no resolved, no Ignition), and so is no systemd.
export const missingFile = <T>(fact: Fact<T>): Otherwise<T> => (s) => (isMissingFile(s.rc, s.body) ? fact : undefined);
export const withoutSystemd = <T>(): Otherwise<T> => (_s, init) => (init !== undefined && init !== 'systemd' ? absentFact(`PID 1 is '${init}', not systemd`) : undefined);
