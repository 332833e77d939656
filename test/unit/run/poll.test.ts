import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backoffDelay, formatDuration, parseDuration, waitFor } from '../../../src/run/poll.js';
import type { AttemptInfo } from '../../../src/run/poll.js';
import { fakeClock } from '../../helpers/clock.js';

describe('waitFor: backoff and deadline', () => {
  test('backoff doubles from 1 s and is capped at 15 s', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n)), [1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });

  test('stops at the first success; the delays follow the backoff', async () => {
    const clock = fakeClock();
    const seen: (number | undefined)[] = [];
    const out = await waitFor(
      async (prev: number | undefined, n) => {
        seen.push(prev);
        return n;
      },
      (r) => r >= 4,
      { timeoutMs: 60_000, clock },
    );
    assert.deepEqual(out, { result: 4, attempts: 4, converged: true });
    assert.deepEqual(clock.slept, [1000, 2000, 4000]);
    assert.deepEqual(seen, [undefined, 1, 2, 3]); // each attempt sees the previous result
  });

  test('out of time: the last sleep is cut to the deadline, one last attempt runs there, not converged', async () => {
    const clock = fakeClock();
    const infos: AttemptInfo<string>[] = [];
    const out = await waitFor(async () => 'bad', () => false, { timeoutMs: 10_000, clock, onAttempt: (i) => infos.push(i) });
    assert.deepEqual(clock.slept, [1000, 2000, 4000, 3000]);
    assert.equal(out.attempts, 5);
    assert.equal(out.converged, false);
    assert.deepEqual(infos.map((i) => [i.attempt, i.nextInMs, i.leftMs]), [[1, 1000, 10000], [2, 2000, 9000], [3, 4000, 7000], [4, 3000, 3000], [5, null, 0]]);
  });

  test('time spent inside an attempt counts against the deadline', async () => {
    const clock = fakeClock();
    const out = await waitFor(
      async () => {
        clock.advance(6000); // e.g. a connect timeout
        return false;
      },
      (r) => r,
      { timeoutMs: 10_000, clock },
    );
    assert.deepEqual(clock.slept, [1000]);
    assert.equal(out.attempts, 2);
  });

  test('an abort stops the loop without another attempt', async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    let calls = 0;
    const out = await waitFor(
      async () => {
        if (++calls === 2) controller.abort();
        return false;
      },
      (r) => r,
      { timeoutMs: 60_000, clock, signal: controller.signal },
    );
    assert.equal(calls, 2);
    assert.equal(out.converged, false);
  });
});

describe('durations', () => {
  test('parse the forms --wait takes', () => {
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('45'), 45_000);
    assert.equal(parseDuration('2.5s'), 2500);
    for (const bad of ['', 'five', '5 m', '-3s', '5d', 'm5']) assert.equal(parseDuration(bad), null, bad);
  });
  test('format for humans', () => {
    assert.deepEqual([999, 1000, 59_000, 60_000, 90_500].map(formatDuration), ['1s', '1s', '59s', '1m', '1m31s']);
  });
});
