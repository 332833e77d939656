import { Command, InvalidArgumentError, Option } from 'commander';
import type { Io } from './commands/io.js';
import { smokeEtcdCommand } from './commands/smoke-etcd.js';
import { verifyCommand } from './commands/verify.js';

// Flags → typed options → one function per command. No logic lives here.

function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} takes a whole number ≥ 1, got '${value}'`);
    return n;
  };
}

function seconds(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} takes seconds > 0, e.g. 10 or 2.5, got '${value}'`);
    return Math.round(n * 1000);
  };
}

const list = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];

function inventoryOption(env: NodeJS.ProcessEnv): Option {
  return new Option('-i, --inventory <file>', 'inventory YAML').default(env.CLUSTERCTL_INVENTORY || 'inventory.yaml', '$CLUSTERCTL_INVENTORY or ./inventory.yaml');
}

export function buildProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('clusterctl')
    .description('Check that every node of a Container Linux / Flatcar Kubernetes cluster came up as its inventory says.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  program
    .command('verify')
    .description('SSH to every node, gather facts with one probe, and check them against the inventory')
    .addOption(inventoryOption(io.env))
    .option('--json', 'print only the JSON report on stdout', false)
    .option('--limit <names-or-roles>', 'only these nodes or roles (comma-separated, repeatable)', list)
    .option('--concurrency <n>', 'nodes checked at once', positiveInt('--concurrency'), 32)
    .option('--connect-timeout <seconds>', 'give up connecting to a node after this long', seconds('--connect-timeout'), 10_000)
    .option('--command-timeout <seconds>', 'stop a remote command after this long', seconds('--command-timeout'), 30_000)
    .action(async (o: { inventory: string; json: boolean; limit?: string[]; concurrency: number; connectTimeout: number; commandTimeout: number }) => {
      setExitCode(
        await verifyCommand(
          {
            inventory: o.inventory,
            json: o.json,
            ...(o.limit ? { limit: o.limit } : {}),
            concurrency: o.concurrency,
            connectTimeoutMs: o.connectTimeout,
            commandTimeoutMs: o.commandTimeout,
          },
          io,
        ),
      );
    });
  program
    .command('smoke-etcd')
    .description("run the memo's etcdctl smoke test (ls, mkdir, set, get, rm, rmdir) on every etcd node, removing what it wrote")
    .addOption(inventoryOption(io.env))
    .option('--node <name>', 'only this node (any role)')
    .addOption(new Option('--api <api>', 'etcd API: auto detects what etcdctl and the server support').choices(['auto', 'v2', 'v3']).default('auto'))
    .option('--json', 'print only the JSON report on stdout', false)
    .option('--concurrency <n>', 'nodes tested at once', positiveInt('--concurrency'), 32)
    .option('--connect-timeout <seconds>', 'give up connecting to a node after this long', seconds('--connect-timeout'), 10_000)
    .option('--command-timeout <seconds>', 'stop one etcdctl call after this long', seconds('--command-timeout'), 10_000)
    .action(async (o: { inventory: string; node?: string; api: 'auto' | 'v2' | 'v3'; json: boolean; concurrency: number; connectTimeout: number; commandTimeout: number }) => {
      const { connectTimeout, commandTimeout, ...rest } = o;
      setExitCode(await smokeEtcdCommand({ ...rest, connectTimeoutMs: connectTimeout, commandTimeoutMs: commandTimeout }, io));
    });

  return program;
}
