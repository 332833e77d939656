import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ignitionCheck } from '../../../src/checks/ignition.js';
import { ctx, facts, node } from '../../fixtures/facts/builders.js';

const run = (over: Parameters<typeof facts>[0]) => ignitionCheck.run(node(), facts(over), ctx()).map((r) => `${r.status} | ${r.actual} | ${r.message}`);

describe('ignition: provisioning evidence', () => {
  test('a config applied: pass, with the date', () => {
    assert.deepEqual(run({ ignitionResult: { present: true, userConfigProvided: true, provisioningDate: '2024-05-01T10:00:00Z' } }), [
      'pass | user config applied | Ignition applied a config on 2024-05-01T10:00:00Z (/etc/.ignition-result.json)',
    ]);
  });
  test('Ignition ran without a config (booted without it): fail, saying where to look', () => {
    const [r] = run({ ignitionResult: { present: true, userConfigProvided: false } });
    assert.match(r ?? '', /^fail \| no user config \| Ignition ran without a config: the node booted without its Ignition config .*userConfigProvided false/);
  });
  test('no result file: never provisioned by Ignition 2.x: skip, saying why', () => {
    assert.deepEqual(run({ ignitionResult: { present: false } }), [
      "skip | null | no /etc/.ignition-result.json: this node was not provisioned by Ignition 2.x (Container Linux's Ignition 0.x writes no such file)",
    ]);
  });
  test('the file unreadable: an error with the reason', () => {
    assert.deepEqual(run({ ignitionResult: null, problems: ['ignition.result: could not read the output of `cat /etc/.ignition-result.json`: not valid JSON (x)'] }), [
      'error | null | Could not check: ignition.result: could not read the output of `cat /etc/.ignition-result.json`: not valid JSON (x)',
    ]);
  });
});
