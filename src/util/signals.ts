// The signals that stop clusterctl, what each one's exit code is, and what main does on the
// first one: abort the run (the abort's reason is the signal's name), give cleanup its grace,
// then exit. Every command gets the same handling; a command may set its own exit code for a
// signal (a future `serve` ends with 0 on SIGTERM) through Io.exitCodeOnSignal.
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

// 128 + the signal's number, as a shell reports a process that signal ended: a CI job's timeout
// and timeout(1) send SIGTERM (15), a closed terminal SIGHUP (1), Ctrl-C SIGINT (2).
export const SIGNAL_EXIT: Readonly<Record<StopSignal, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

export const isStopSignal = (x: unknown): x is StopSignal => typeof x === 'string' && (STOP_SIGNALS as readonly string[]).includes(x);

// What main knows of the running command: how long its cleanup may take after a signal, and the
// exit codes it chose for some signals.
export class StopPolicy {
  graceMs = 50; // time to close connections when there is nothing remote to undo
  private readonly codes = new Map<StopSignal, number>();
  hold(ms: number): void {
    this.graceMs = Math.max(this.graceMs, ms);
  }
  setExitCode(signal: StopSignal, code: number): void {
    this.codes.set(signal, code);
  }
  exitCode(signal: StopSignal): number {
    return this.codes.get(signal) ?? SIGNAL_EXIT[signal];
  }
}

// The parts of `process` the handler uses (a fake in the tests).
export interface SignalTarget {
  once(event: StopSignal, listener: () => void): unknown;
  removeListener(event: StopSignal, listener: () => void): unknown;
  exit(code: number): void;
}

const ways: Record<StopSignal, { what: string; again: string }> = {
  SIGINT: { what: 'interrupted', again: 'Ctrl-C again' },
  SIGTERM: { what: 'stopped by SIGTERM', again: 'SIGTERM again' },
  SIGHUP: { what: 'stopped by SIGHUP (terminal closed)', again: 'another signal' },
};

// On the first of SIGINT, SIGTERM, SIGHUP: abort `controller` with the signal's name, say so,
// and exit with that signal's code once the grace is over (the command usually ends first, and
// main returns the same code). The handlers are then removed: a second signal takes the default
// action and ends the process at once, without cleaning up.
export function onStopSignals(target: SignalTarget, controller: AbortController, policy: StopPolicy, say: (line: string) => void): void {
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = () => {
      for (const [s, h] of handlers) target.removeListener(s, h);
      controller.abort(signal);
      const { what, again } = ways[signal];
      const doing = policy.graceMs > 50 ? `cleaning up on the nodes (${again} to quit without cleaning up)` : 'closing connections';
      say(`\n${what}: ${doing}\n`);
      setTimeout(() => target.exit(policy.exitCode(signal)), policy.graceMs).unref();
    };
    return [signal, handler] as const;
  });
  for (const [s, h] of handlers) target.once(s, h);
}

// The exit code of a run that a stop signal aborted (main: the command ended within its grace).
export function abortedExitCode(signal: AbortSignal, policy: StopPolicy): number | undefined {
  if (!signal.aborted) return undefined;
  return isStopSignal(signal.reason) ? policy.exitCode(signal.reason) : SIGNAL_EXIT.SIGINT;
}
