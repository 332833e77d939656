import { writeFile } from 'node:fs/promises';
import type { CheckResult } from '../checks/types.js';
import { UserError } from '../errors.js';
import type { NodeReport, Report } from '../run/results.js';

// --junit FILE: one <testsuite> per node, one <testcase> per check result, in the shape the
// common JUnit schema (Jenkins, GitLab) takes: fail → <failure>, error → <error>, skip →
// <skipped>, each with the message and expected/actual in the body.

const xml = (s: string): string =>
  s
    // XML 1.0 cannot carry most control characters at all, not even escaped.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const attrs = (a: Record<string, string | number>): string =>
  Object.entries(a)
    .map(([k, v]) => ` ${k}="${xml(String(v))}"`)
    .join('');

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function count(checks: CheckResult[]) {
  return {
    tests: checks.length,
    failures: checks.filter((c) => c.status === 'fail').length,
    errors: checks.filter((c) => c.status === 'error').length,
    skipped: checks.filter((c) => c.status === 'skip').length,
  };
}

// The Jenkins schema has no `skipped` on <testsuites>, only on each <testsuite>.
function totals(checks: CheckResult[]) {
  const { tests, failures, errors } = count(checks);
  return { tests, failures, errors };
}

// Several results can share an id (one net.route per route): CI tools merge testcases of equal
// name, so those carry what they expected.
function caseNames(checks: CheckResult[]): string[] {
  const seen = new Map<string, number>();
  for (const c of checks) seen.set(c.id, (seen.get(c.id) ?? 0) + 1);
  return checks.map((c) => ((seen.get(c.id) ?? 0) > 1 && c.expected !== null ? `${c.id} (${c.expected})` : c.id));
}

function testcase(node: NodeReport, c: CheckResult, name: string): string {
  const open = `    <testcase${attrs({ name, classname: node.name, time: seconds(0) })}`;
  const body = `expected: ${c.expected ?? '-'}\nactual: ${c.actual ?? '-'}\n${c.message}`;
  switch (c.status) {
    case 'pass':
      return `${open}/>`;
    case 'skip':
      return `${open}>\n      <skipped${attrs({ message: c.message })}/>\n    </testcase>`;
    case 'fail':
      return `${open}>\n      <failure${attrs({ message: c.message, type: c.id })}>${xml(body)}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error${attrs({ message: c.message, type: c.id })}>${xml(body)}</error>\n    </testcase>`;
  }
}

function testsuite(node: NodeReport, index: number, timestamp: string): string {
  const names = caseNames(node.checks);
  const head = `  <testsuite${attrs({ name: node.name, id: index, hostname: node.host, ...count(node.checks), time: seconds(node.durationMs), timestamp })}`;
  if (node.checks.length === 0) return `${head}/>`;
  return [`${head}>`, ...node.checks.map((c, i) => testcase(node, c, names[i] as string)), '  </testsuite>'].join('\n');
}

export function formatJunit(report: Report, now: Date = new Date()): string {
  // JUnit timestamps are ISO 8601 without a zone (xs:dateTime pattern in the Jenkins schema).
  const timestamp = now.toISOString().slice(0, 19);
  const all = report.nodes.flatMap((n) => n.checks);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'clusterctl verify', ...totals(all), time: seconds(report.durationMs) })}>`,
    ...report.nodes.map((n, i) => testsuite(n, i, timestamp)),
    '</testsuites>',
    '',
  ].join('\n');
}

export async function writeJunit(file: string, report: Report): Promise<void> {
  try {
    await writeFile(file, formatJunit(report));
  } catch (err) {
    throw new UserError(`--junit ${file}: cannot write the JUnit report: ${(err as Error).message}; check that the directory exists and is writable`, { cause: err });
  }
}
