import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatJson } from '../../../src/report/json.js';
import { report } from '../../fixtures/report/sample.js';

describe('JSON report with --wait', () => {
  test('attempts appears only when --wait ran', () => {
    const plain = JSON.parse(formatJson(report)) as Record<string, unknown>;
    assert.equal('attempts' in plain, false);
    const waited = JSON.parse(formatJson({ ...report, attempts: 3 })) as Record<string, unknown>;
    assert.equal(waited.attempts, 3);
    assert.deepEqual(Object.keys(waited), ['ok', 'durationMs', 'summary', 'attempts', 'nodes']);
  });
});
