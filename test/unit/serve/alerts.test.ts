import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import { PROMTOOL, promtoolSkip } from './promtool.js';

const run = promisify(execFile);
const dir = fileURLToPath(new URL('../../fixtures/serve/', import.meta.url));
const rules = fileURLToPath(new URL('../../../deploy/prometheus/clusterctl-alerts.yml', import.meta.url));

describe('the shipped alert rules', { skip: promtoolSkip }, () => {
  test('promtool check rules: 3 valid rules', async () => {
    const { stdout } = await run(PROMTOOL, ['check', 'rules', rules]);
    assert.match(stdout, /SUCCESS: 3 rules found/);
  });

  test('promtool test rules: each alert fires when it should and not when it must not', async () => {
    const { stdout } = await run(PROMTOOL, ['test', 'rules', 'alerts.test.yml'], { cwd: dir });
    assert.match(stdout, /SUCCESS/);
  });
});
