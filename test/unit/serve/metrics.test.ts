import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { metricsRegistry } from '../../../src/serve/metrics.js';
import { ServeState } from '../../../src/serve/state.js';
import { healthy, nodeReport, r, round } from './fixtures.js';
import { PROMTOOL, promtoolSkip } from './promtool.js';

const lines = (text: string, name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

describe('/metrics', () => {
  const state = new ServeState(['a', 'b']);
  state.update(round(healthy('a'), nodeReport('b', [r('ssh', 'error', 'connection refused')], false)), 1_000_000);
  state.update(round(healthy('a'), nodeReport('b', [r('ssh', 'pass'), r('service', 'pass'), r('service', 'fail', 'secret-ish message "with quotes"'), r('hostname', 'skip')])), 2_000_000);
  const registry = metricsRegistry(state, 30_000);

  test('one status series a node and check, the worst of its results; bounded labels only', async () => {
    const text = await registry.metrics();
    assert.deepEqual(lines(text, 'clusterctl_check_status'), [
      'clusterctl_check_status{node="a",check="ssh"} 0',
      'clusterctl_check_status{node="a",check="hostname"} 0',
      'clusterctl_check_status{node="a",check="net.route"} 0',
      'clusterctl_check_status{node="a",check="flannel.lease"} 0',
      'clusterctl_check_status{node="b",check="ssh"} 0',
      'clusterctl_check_status{node="b",check="service"} 3',
      'clusterctl_check_status{node="b",check="hostname"} 1',
    ]);
    assert.doesNotMatch(text, /message|connection refused|quotes/);
    assert.deepEqual(lines(text, 'clusterctl_check_last_change_timestamp_seconds').filter((l) => l.includes('node="b"')), [
      'clusterctl_check_last_change_timestamp_seconds{node="b",check="ssh"} 2000',
      'clusterctl_check_last_change_timestamp_seconds{node="b",check="service"} 2000',
      'clusterctl_check_last_change_timestamp_seconds{node="b",check="hostname"} 2000',
    ]);
    assert.ok(lines(text, 'clusterctl_check_last_change_timestamp_seconds').includes('clusterctl_check_last_change_timestamp_seconds{node="a",check="ssh"} 1000'));
  });

  test('reachability, rounds, the last round, its duration and the interval', async () => {
    const text = await registry.metrics();
    assert.deepEqual(lines(text, 'clusterctl_node_reachable'), ['clusterctl_node_reachable{node="a"} 1', 'clusterctl_node_reachable{node="b"} 1']);
    assert.deepEqual(lines(text, 'clusterctl_rounds_total'), ['clusterctl_rounds_total 2']);
    assert.deepEqual(lines(text, 'clusterctl_last_round_timestamp_seconds'), ['clusterctl_last_round_timestamp_seconds 2000']);
    assert.deepEqual(lines(text, 'clusterctl_round_duration_seconds'), ['clusterctl_round_duration_seconds 1.234']);
    assert.deepEqual(lines(text, 'clusterctl_interval_seconds'), ['clusterctl_interval_seconds 30']);
  });

  test('promtool check metrics passes on it', { skip: promtoolSkip }, async () => {
    const text = await registry.metrics();
    const out = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = execFile(PROMTOOL, ['check', 'metrics'], (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr }));
      child.stdin?.end(text);
    });
    assert.equal(out.output.trim(), '');
    assert.equal(out.code, 0);
  });
});
