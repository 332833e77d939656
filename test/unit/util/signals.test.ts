import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import { abortedExitCode, onStopSignals, STOP_SIGNALS, StopPolicy } from '../../../src/util/signals.js';
import type { SignalTarget, StopSignal } from '../../../src/util/signals.js';

// process as the handler sees it: signals are events, exit is recorded.
function fakeProcess() {
  const e = new EventEmitter();
  const exits: number[] = [];
  const target: SignalTarget = {
    once: (s, l) => e.once(s, l),
    removeListener: (s, l) => e.removeListener(s, l),
    exit: (code) => void exits.push(code),
  };
  return { e, exits, target };
}

describe('stop signals (main.ts)', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    test(`${signal}: aborts the run with its name, says so, exits ${code} after the command's grace`, (t) => {
      t.mock.timers.enable({ apis: ['setTimeout'] });
      const { e, exits, target } = fakeProcess();
      const ctl = new AbortController();
      const policy = new StopPolicy();
      policy.hold(14_000);
      const said: string[] = [];
      onStopSignals(target, ctl, policy, (l) => said.push(l));
      e.emit(signal);
      assert.equal(ctl.signal.aborted, true);
      assert.equal(ctl.signal.reason, signal);
      assert.match(said.join(''), /cleaning up on the nodes/);
      assert.equal(abortedExitCode(ctl.signal, policy), code); // the command ended within its grace
      t.mock.timers.tick(13_999);
      assert.deepEqual(exits, []);
      t.mock.timers.tick(1);
      assert.deepEqual(exits, [code]); // it did not
      // A second signal of any kind finds no handler of ours: the default action ends the process.
      for (const s of STOP_SIGNALS) assert.equal(e.listenerCount(s), 0);
    });
  }

  test('a command may set its own code for a signal (a future serve: SIGTERM → 0); the others keep theirs', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { e, exits, target } = fakeProcess();
    const ctl = new AbortController();
    const policy = new StopPolicy();
    policy.setExitCode('SIGTERM', 0);
    onStopSignals(target, ctl, policy, () => {});
    e.emit('SIGTERM');
    t.mock.timers.tick(50);
    assert.deepEqual(exits, [0]);
    assert.equal(policy.exitCode('SIGHUP' as StopSignal), 129);
    assert.equal(policy.exitCode('SIGINT'), 130);
  });

  test('no signal: no exit code from it; nothing to clean up: 50 ms to close connections', () => {
    const policy = new StopPolicy();
    assert.equal(abortedExitCode(new AbortController().signal, policy), undefined);
    assert.equal(policy.graceMs, 50);
    policy.hold(10);
    assert.equal(policy.graceMs, 50);
  });
});

