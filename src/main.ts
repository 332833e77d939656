import { CommanderError } from 'commander';
import { buildProgram } from './cli.js';
import { EXIT, InventoryError, UserError } from './errors.js';
import { userErrorText } from './report/notice.js';

// The only top-level catch: error class → exit code. User errors print a message, bugs a stack.
async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  let graceMs = 50;
  process.once('SIGINT', () => {
    // Closing every connection lets in-flight work settle; exit 130 like a shell would. A command
    // with remote cleanup to do gets its grace; a second Ctrl-C (default handler) ends it at once.
    controller.abort();
    process.stderr.write(graceMs > 50 ? '\ninterrupted: cleaning up on the nodes (Ctrl-C again to quit without cleaning up)\n' : '\ninterrupted: closing connections\n');
    setTimeout(() => process.exit(EXIT.interrupted), graceMs).unref();
  });
  let code: number = EXIT.ok;
  const io = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
    holdOnInterrupt: (ms: number) => void (graceMs = Math.max(graceMs, ms)),
  };
  try {
    await buildProgram(io, (c) => (code = c)).parseAsync(argv);
  } catch (err) {
    if (controller.signal.aborted) return EXIT.interrupted;
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
  return controller.signal.aborted ? EXIT.interrupted : code;
}

// No top-level await: the single executable (scripts/sea.mjs) runs this as one CommonJS bundle.
void main(process.argv).then((code) => {
  process.exitCode = code;
});
