import { Command, InvalidArgumentError, Option } from 'commander';
import type { Io } from './io.js';
import { parseDuration } from './run/poll.js';
import { noSshConfigOption, retriesOption, sshConfigOption, sshFlagsOf } from './cli/ssh-flags.js';

// Flags → typed options → one function per command. No logic lives here. Each command's module
// is imported when that command runs: start-up is most of a 24-node run (see README "Speed"),
// and `--help` or `schema` need neither ssh2 nor listr2.

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

function duration(flag: string) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === null || ms <= 0) throw new InvalidArgumentError(`${flag} takes a duration such as 5m, 90s, 1m30s or 500ms, got '${value}'`);
    return ms;
  };
}

interface VerifyFlags {
  inventory: string;
  json: boolean;
  limit?: string[];
  concurrency: number;
  connectTimeout: number;
  commandTimeout: number;
  wait?: number;
  junit?: string;
  only?: string[];
  skip?: string[];
  local: boolean;
  node?: string;
  sshConfig?: string | boolean;
  retries: number;
}

const list = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];

function inventoryOption(env: NodeJS.ProcessEnv): Option {
  return new Option('-i, --inventory <file>', 'inventory YAML').default(env.CLUSTERCTL_INVENTORY || 'inventory.yaml', '$CLUSTERCTL_INVENTORY or ./inventory.yaml');
}

// The flags of every command that connects to nodes: timeouts, ~/.ssh/config, retries.
function connectionFlags(c: Command, commandTimeoutMs = 30_000, commandWhat = 'a remote command'): Command {
  const timeout = (flags: string, what: string, ms: number) =>
    new Option(`${flags} <seconds>`, what).argParser(seconds(flags)).default(ms, String(ms / 1000));
  return c
    .addOption(timeout('--connect-timeout', 'give up connecting to a node after this long', 10_000))
    .addOption(timeout('--command-timeout', `stop ${commandWhat} after this long`, commandTimeoutMs))
    .addOption(sshConfigOption())
    .addOption(noSshConfigOption())
    .addOption(retriesOption());
}

export function buildProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('clusterctl')
    .description('Check that every node of a Container Linux / Flatcar Kubernetes cluster came up as its inventory says.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  connectionFlags(
    program
      .command('verify')
      .description('SSH to every node, gather facts with one probe, and check them against the inventory')
      .addOption(inventoryOption(io.env))
      .option('--json', 'print only the JSON report on stdout', false)
      .option('--limit <names-or-roles>', 'only these nodes or roles (comma-separated, repeatable)', list)
      .option('--concurrency <n>', 'nodes checked at once', positiveInt('--concurrency'), 32)
      .option('--wait <duration>', 're-verify failing nodes with backoff until all pass or this long has passed (e.g. 5m, 90s)', duration('--wait'))
      .option('--junit <file>', 'also write a JUnit XML report (one testsuite per node) to this file')
      .option('--only <check-ids>', 'report only these checks (ids or prefixes like net; comma-separated, repeatable)', list)
      .option('--skip <check-ids>', 'leave out these checks (ids or prefixes, e.g. flannel.lease)', list)
      .option('--local', 'run the probe on this machine with sh, no SSH (for a unit on the node itself)', false)
      .option('--node <name>', 'with --local: which inventory node this machine is (default: the one matching its hostname)')
  )
    .action(async (o: VerifyFlags, cmd: Command) => {
      const { verifyCommand } = await import('./commands/verify.js');
      setExitCode(
        await verifyCommand(
          {
            inventory: o.inventory,
            json: o.json,
            ...(o.limit ? { limit: o.limit } : {}),
            concurrency: o.concurrency,
            connectTimeoutMs: o.connectTimeout,
            commandTimeoutMs: o.commandTimeout,
            ...(o.wait !== undefined ? { waitMs: o.wait } : {}),
            ...(o.junit ? { junit: o.junit } : {}),
            checks: { ...(o.only ? { only: o.only } : {}), ...(o.skip ? { skip: o.skip } : {}) },
            local: o.local,
            ...(o.node ? { node: o.node } : {}),
            ssh: sshFlagsOf(o, cmd),
          },
          io,
        ),
      );
    });

  connectionFlags(
    program
      .command('facts')
      .description('print the facts gathered from each node (the probe and every gatherer) as JSON')
      .addOption(inventoryOption(io.env))
      .option('--node <names-or-roles>', 'only these nodes or roles (comma-separated, repeatable)', list)
      .option('--local', 'gather on this machine with sh, no SSH (the node is --node or the one matching the hostname)', false)
      .option('--concurrency <n>', 'nodes gathered at once', positiveInt('--concurrency'), 32)
  )
    .action(async (o: { inventory: string; node?: string[]; local: boolean; concurrency: number; connectTimeout: number; commandTimeout: number; sshConfig?: string | boolean; retries: number }, cmd: Command) => {
      const { factsCommand } = await import('./commands/facts.js');
      setExitCode(
        await factsCommand(
          { inventory: o.inventory, ...(o.node ? { node: o.node } : {}), local: o.local, concurrency: o.concurrency, connectTimeoutMs: o.connectTimeout, commandTimeoutMs: o.commandTimeout, ssh: sshFlagsOf(o, cmd) },
          io,
        ),
      );
    });

  program
    .command('schema')
    .description("print the inventory's JSON Schema (for editors: # yaml-language-server: $schema=…)")
    .action(async () => {
      const { schemaCommand } = await import('./commands/schema.js');
      setExitCode(schemaCommand(io));
    });
  connectionFlags(
    program
      .command('smoke-etcd')
      .description("run the memo's etcdctl smoke test (ls, mkdir, set, get, rm, rmdir) on every etcd node, removing what it wrote")
      .addOption(inventoryOption(io.env))
      .option('--node <name>', 'only this node (any role)')
      .addOption(new Option('--api <api>', 'etcd API: auto detects what etcdctl and the server support').choices(['auto', 'v2', 'v3']).default('auto'))
      .option('--json', 'print only the JSON report on stdout', false)
      .option('--concurrency <n>', 'nodes tested at once', positiveInt('--concurrency'), 32),
    10_000,
    'one etcdctl call',
  )
    .action(async (o: { inventory: string; node?: string; api: 'auto' | 'v2' | 'v3'; json: boolean; concurrency: number; connectTimeout: number; commandTimeout: number; sshConfig?: string | boolean; retries: number }, cmd: Command) => {
      const { connectTimeout, commandTimeout, sshConfig: _c, retries: _r, ...rest } = o;
      const { smokeEtcdCommand } = await import('./commands/smoke-etcd.js');
      setExitCode(await smokeEtcdCommand({ ...rest, connectTimeoutMs: connectTimeout, commandTimeoutMs: commandTimeout, ssh: sshFlagsOf(o, cmd) }, io));
    });

  program
    .command('lint')
    .description('check the inventory without SSH: every loader rule plus flannel Network overlaps, on-link route gateways, etcd nodes for flannel')
    .addOption(inventoryOption(io.env))
    .option('--json', 'print only the JSON result on stdout', false)
    .action(async (o: { inventory: string; json: boolean }) => {
      const { lintCommand } = await import('./commands/lint.js');
      setExitCode(await lintCommand(o, io));
    });

  const flannel = program.command('flannel').description('read or write the flannel config key in etcd, through an etcd node');
  const etcdNodeFlags = (c: Command) =>
    connectionFlags(c.addOption(inventoryOption(io.env)).option('--node <name>', 'read/write through this node (default: the first etcd node)'));
  type EtcdNodeOpts = { inventory: string; node?: string; connectTimeout: number; commandTimeout: number; sshConfig?: string | boolean; retries: number };
  const common = (o: EtcdNodeOpts, cmd: Command) => ({
    inventory: o.inventory,
    ...(o.node ? { node: o.node } : {}),
    connectTimeoutMs: o.connectTimeout,
    commandTimeoutMs: o.commandTimeout,
    ssh: sshFlagsOf(o, cmd),
  });
  etcdNodeFlags(flannel.command('get').description('print the flannel config key and where it was read'))
    .option('--json', 'print only JSON on stdout', false)
    .action(async (o: EtcdNodeOpts & { json: boolean }, cmd: Command) => {
      const { flannelGetCommand } = await import('./commands/flannel.js');
      setExitCode(await flannelGetCommand({ ...common(o, cmd), json: o.json }, io));
    });
  etcdNodeFlags(flannel.command('set').description('write the flannel config key safely: refuse an overlapping Network, show old → new, write, read back'))
    .requiredOption('--network <cidr>', 'flannel Network, e.g. 10.1.0.0/16')
    .option('--subnet-len <n>', 'SubnetLen of each node lease (flannel default 24)', positiveInt('--subnet-len'))
    .addOption(new Option('--backend <type>', 'Backend.Type').choices(['vxlan', 'udp', 'host-gw']))
    .option('--dry-run', 'do every check and show old → new, but write nothing', false)
    .action(async (o: EtcdNodeOpts & { network: string; subnetLen?: number; backend?: string; dryRun: boolean }, cmd: Command) => {
      const { flannelSetCommand } = await import('./commands/flannel.js');
      const extra = { network: o.network, dryRun: o.dryRun, ...(o.subnetLen ? { subnetLen: o.subnetLen } : {}), ...(o.backend ? { backend: o.backend } : {}) };
      setExitCode(await flannelSetCommand({ ...common(o, cmd), ...extra }, io));
    });

  return program;
}
