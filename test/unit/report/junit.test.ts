import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { formatJunit } from '../../../src/report/junit.js';
import { report } from '../../fixtures/report/sample.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name), parseAttributeValue: false, trimValues: false });
type Case = { name: string; classname: string; time: string; failure?: { message: string; type: string; '#text': string }; error?: { message: string; '#text': string }; skipped?: { message: string } };
type Suite = { name: string; id: string; hostname: string; tests: string; failures: string; errors: string; skipped: string; time: string; timestamp: string; testcase: Case[] };

describe('JUnit report (--junit)', () => {
  const text = formatJunit(report, new Date('2026-01-02T03:04:05.678Z'));
  const doc = parser.parse(text) as { testsuites: { name: string; tests: string; failures: string; errors: string; time: string; testsuite: Suite[] } };

  test('is well-formed XML with a declaration', () => {
    assert.equal(XMLValidator.validate(text), true);
    assert.ok(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites '));
  });

  test('totals on <testsuites> (no skipped attribute there: the Jenkins schema has none)', () => {
    const { name, tests, failures, errors, time } = doc.testsuites;
    assert.deepEqual({ name, tests, failures, errors, time }, { name: 'clusterctl verify', tests: '8', failures: '2', errors: '1', time: '10.400' });
    assert.equal(/<testsuites[^>]*skipped=/.test(text), false);
  });

  test('one testsuite per node with its counts, host and a zone-less timestamp', () => {
    const suites = doc.testsuites.testsuite;
    assert.deepEqual(
      suites.map((s) => [s.name, s.id, s.hostname, s.tests, s.failures, s.errors, s.skipped, s.time, s.timestamp]),
      [
        ['node-1', '0', '198.18.1.11', '4', '1', '0', '0', '0.412', '2026-01-02T03:04:05'],
        ['node-2', '1', '198.18.1.12', '2', '1', '0', '1', '10.000', '2026-01-02T03:04:05'],
        ['node-3', '2', 'n3.example', '2', '0', '1', '0', '0.005', '2026-01-02T03:04:05'],
      ],
    );
  });

  test('one testcase per check; results sharing an id are told apart by what they expected', () => {
    const [n1] = doc.testsuites.testsuite;
    assert.deepEqual(n1?.testcase.map((c) => [c.name, c.classname]), [
      ['ssh', 'node-1'],
      ['hostname', 'node-1'],
      ['net.route (10.45.0.0/16 via 198.18.0.124)', 'node-1'],
      ['net.route (198.19.45.0/24 via 198.18.0.124)', 'node-1'],
    ]);
    assert.equal(n1?.testcase[0]?.failure, undefined);
  });

  test('a failure carries the message (escaped and read back intact), expected and actual', () => {
    const failure = doc.testsuites.testsuite[0]?.testcase[3]?.failure;
    assert.equal(failure?.message, 'no route to 198.19.45.0/24 <&"\'>');
    assert.equal(failure?.type, 'net.route');
    assert.equal(failure?.['#text'], 'expected: 198.19.45.0/24 via 198.18.0.124\nactual: none\nno route to 198.19.45.0/24 <&"\'>');
  });

  test('unreachable node: ssh failure, skipped checks; a control character cannot break the XML', () => {
    const [ssh, hostname] = doc.testsuites.testsuite[1]?.testcase ?? [];
    assert.equal(ssh?.failure?.message, 'cannot connect: timed out\uFFFD');
    assert.match(ssh?.failure?.['#text'] ?? '', /^expected: core@198\.18\.1\.12:22 reachable\nactual: timed out\n/);
    assert.deepEqual(hostname?.skipped, { message: 'skipped: not reachable' });
  });

  test('error results become <error>, with "-" where there is no expected/actual', () => {
    const err = doc.testsuites.testsuite[2]?.testcase[1]?.error;
    assert.equal(err?.message, 'probe timed out after 30s');
    assert.equal(err?.['#text'], 'expected: -\nactual: -\nprobe timed out after 30s');
  });
});
