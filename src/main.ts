import { CommanderError } from 'commander';
import { buildProgram } from './cli.js';
import { EXIT, InventoryError, UserError } from './errors.js';
import { userErrorText } from './report/notice.js';
import { abortedExitCode, onStopSignals, StopPolicy } from './util/signals.js';
import type { StopSignal } from './util/signals.js';

// The only top-level catch: error class → exit code. User errors print a message, bugs a stack.
async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const policy = new StopPolicy();
  // SIGINT, SIGTERM and SIGHUP alike: closing every connection lets in-flight work settle; a
  // command with remote cleanup to do (smoke-etcd) gets its grace; exit 130, 143 or 129.
  onStopSignals(process, controller, policy, (line) => {
    // After SIGHUP the terminal is gone and a write to it fails (EIO): that must not end cleanup.
    for (const s of [process.stdout, process.stderr]) s.on('error', () => {});
    process.stderr.write(line);
  });
  let code: number = EXIT.ok;
  const io = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
    holdOnInterrupt: (ms: number) => policy.hold(ms),
    exitCodeOnSignal: (signal: StopSignal, exit: number) => policy.setExitCode(signal, exit),
  };
  try {
    await buildProgram(io, (c) => (code = c)).parseAsync(argv);
  } catch (err) {
    const stopped = abortedExitCode(controller.signal, policy);
    if (stopped !== undefined) return stopped;
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof InventoryError || err instanceof UserError) {
      process.stderr.write(userErrorText(err));
      return EXIT.usage;
    }
    // The bundle's source maps are not loaded by default: they would cost every start-up (docs/speed.md).
    const maps = process.sourceMapsEnabled ? '' : '(run it again with NODE_OPTIONS=--enable-source-maps for file and line numbers in src/)\n';
    process.stderr.write(`clusterctl: internal error (a bug — please report it with this output):\n${(err as Error)?.stack ?? String(err)}\n${maps}`);
    return EXIT.internal;
  }
  return abortedExitCode(controller.signal, policy) ?? code;
}

// No top-level await: the single executable (scripts/sea.mjs) runs this as one CommonJS bundle.
void main(process.argv).then((code) => {
  process.exitCode = code;
});
