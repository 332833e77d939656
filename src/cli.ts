import { Command, Option } from 'commander';
import type { FactsOptions } from './commands/facts.js';
import type { FlannelOptions, FlannelSetOptions } from './commands/flannel.js';
import type { ImportOptions } from './commands/import.js';
import type { LintOptions } from './commands/lint.js';
import type { ProbeOptions } from './commands/probe.js';
import type { RenderOptions } from './commands/render.js';
import type { ServeOptions } from './commands/serve.js';
import type { SmokeEtcdOptions } from './commands/smoke-etcd.js';
import type { VerifyOptions } from './commands/verify.js';
import type { Io } from './io.js';
import { connectionFlags, connectionOptions, duration, FILES_DIR_HELP, inventoryOption, list, positiveInt, sourceFlags, sourceOptions } from './cli/options.js';
import type { ConnectionFlags, FromFlags } from './cli/options.js';
import { versionText } from './cli/version.js';

// Flags → each command's typed Options → one function per command. No logic lives here. Each
// command's module is imported when that command runs: start-up is most of a 24-node run
// (docs/speed.md), and `--help` or `schema` need neither ssh2 nor listr2.

interface VerifyFlags extends ConnectionFlags, FromFlags {
  inventory: string;
  json: boolean;
  limit?: string[];
  concurrency: number;
  wait?: number;
  watch?: number;
  junit?: string;
  html?: string;
  quiet: boolean;
  only?: string[];
  skip?: string[];
  local: boolean;
  node?: string;
}

const verifyOptions = (o: VerifyFlags, cmd: Command): VerifyOptions => ({
  ...sourceOptions(o, cmd),
  json: o.json,
  ...(o.limit ? { limit: o.limit } : {}),
  concurrency: o.concurrency,
  ...connectionOptions(o, cmd),
  ...(o.wait !== undefined ? { waitMs: o.wait } : {}),
  ...(o.watch !== undefined ? { watchMs: o.watch } : {}),
  ...(o.junit ? { junit: o.junit } : {}),
  ...(o.html ? { html: o.html } : {}),
  quiet: o.quiet,
  checks: { ...(o.only ? { only: o.only } : {}), ...(o.skip ? { skip: o.skip } : {}) },
  local: o.local,
  ...(o.node ? { localNode: o.node } : {}),
});

interface ServeFlags extends ConnectionFlags, FromFlags {
  inventory: string;
  listen: string;
  interval: number;
  limit?: string[];
  only?: string[];
  skip?: string[];
  concurrency: number;
}

const serveOptions = (o: ServeFlags, cmd: Command): ServeOptions => ({
  ...sourceOptions(o, cmd),
  listen: o.listen,
  intervalMs: o.interval,
  ...(o.limit ? { limit: o.limit } : {}),
  checks: { ...(o.only ? { only: o.only } : {}), ...(o.skip ? { skip: o.skip } : {}) },
  concurrency: o.concurrency,
  ...connectionOptions(o, cmd),
});

interface FactsFlags extends ConnectionFlags, FromFlags {
  inventory: string;
  node?: string[];
  local: boolean;
  concurrency: number;
}

const factsOptions = (o: FactsFlags, cmd: Command): FactsOptions => ({
  ...sourceOptions(o, cmd),
  ...(o.node ? { select: o.node } : {}),
  local: o.local,
  concurrency: o.concurrency,
  ...connectionOptions(o, cmd),
});

interface SmokeFlags extends ConnectionFlags, FromFlags {
  inventory: string;
  node?: string;
  api: SmokeEtcdOptions['api'];
  json: boolean;
  concurrency: number;
}

const smokeOptions = (o: SmokeFlags, cmd: Command): SmokeEtcdOptions => ({
  ...sourceOptions(o, cmd),
  ...(o.node ? { node: o.node } : {}),
  api: o.api,
  json: o.json,
  concurrency: o.concurrency,
  // A node's smoke test: detection, seven steps, up to three cleanup calls.
  ...connectionOptions(o, cmd, 11),
});

interface FlannelFlags extends ConnectionFlags {
  inventory: string;
  node?: string;
  json?: boolean;
}

const flannelOptions = (o: FlannelFlags, cmd: Command): FlannelOptions => ({
  inventory: o.inventory,
  ...(o.node ? { node: o.node } : {}),
  ...(o.json !== undefined ? { json: o.json } : {}),
  ...connectionOptions(o, cmd),
});

interface FlannelSetFlags extends FlannelFlags {
  network: string;
  subnetLen?: number;
  backend?: string;
  dryRun: boolean;
}

const flannelSetOptions = (o: FlannelSetFlags, cmd: Command): FlannelSetOptions => ({
  ...flannelOptions(o, cmd),
  network: o.network,
  dryRun: o.dryRun,
  ...(o.subnetLen ? { subnetLen: o.subnetLen } : {}),
  ...(o.backend ? { backend: o.backend } : {}),
});

interface RenderFlags {
  inventory: string;
  node?: string[];
  format: RenderOptions['format'];
  out: string;
}

const renderOptions = (o: RenderFlags): RenderOptions => ({ inventory: o.inventory, ...(o.node ? { node: o.node } : {}), format: o.format, out: o.out });

interface ImportFlags {
  out?: string;
  role?: string[];
  host?: string[];
  filesDir?: string;
}

const importOptions = (paths: string[], o: ImportFlags): ImportOptions => ({
  paths,
  ...(o.out ? { out: o.out } : {}),
  ...(o.role ? { roles: o.role } : {}),
  ...(o.host ? { hosts: o.host } : {}),
  ...(o.filesDir ? { filesDir: o.filesDir } : {}),
});
const collect = (v: string, prev: string[] = []) => [...prev, v];

export function buildProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('clusterctl')
    .description('Check that every node of a Container Linux / Flatcar Kubernetes cluster, built as the setup guide says, came up as its inventory says.')
    .version(versionText())
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  connectionFlags(
    sourceFlags(program.command('verify').description('SSH to every node, gather facts with one probe, and check them against the inventory'), io.env)
      .option('--json', 'print only the JSON report on stdout', false)
      .option('--limit <names-or-roles>', 'only these nodes or roles (comma-separated, repeatable)', list)
      .option('--concurrency <n>', 'nodes checked at once', positiveInt('--concurrency'), 32)
      .option('--wait <duration>', 're-verify failing nodes with backoff until all pass or this long has passed (e.g. 5m, 90s)', duration('--wait'))
      .addOption(new Option('--watch [interval]', 'keep one SSH connection per node and verify again every interval, printing what changes, until Ctrl-C').preset('5s').argParser(duration('--watch')))
      .option('--junit <file>', 'also write a JUnit XML report (one testsuite per node) to this file')
      .option('--html <file>', 'also write the status page of this run (nodes x checks, problems first) as one self-contained HTML file')
      .option('--quiet', 'print only the checks that failed or could not run, then the summary and the failures by check', false)
      .option('--only <check-ids>', 'report only these checks (ids or prefixes like net; comma-separated, repeatable)', list)
      .option('--skip <check-ids>', 'leave out these checks (ids or prefixes, e.g. flannel.lease)', list)
      .option('--local', 'run the probe on this machine with sh, no SSH (for a unit on the node itself)', false)
      .option('--node <name>', 'with --local: which inventory node this machine is (default: the one matching its hostname)'),
  ).action(async (o: VerifyFlags, cmd: Command) => {
    const { verifyCommand } = await import('./commands/verify.js');
    setExitCode(await verifyCommand(verifyOptions(o, cmd), io));
  });

  connectionFlags(
    sourceFlags(program.command('serve').description('verify every interval over one kept SSH connection per node, and serve the results: /metrics (Prometheus), /healthz, and a status page at /'), io.env)
      .option('--listen <addr:port>', 'where to listen (loopback unless told otherwise)', '127.0.0.1:9475')
      .option('--interval <duration>', 'how often to verify every node (e.g. 30s, 1m)', duration('--interval'), 30_000)
      .option('--limit <names-or-roles>', 'only these nodes or roles (comma-separated, repeatable)', list)
      .option('--only <check-ids>', 'only these checks (ids or prefixes like net; comma-separated, repeatable)', list)
      .option('--skip <check-ids>', 'leave out these checks (ids or prefixes)', list)
      .option('--concurrency <n>', 'nodes checked at once', positiveInt('--concurrency'), 32),
  ).action(async (o: ServeFlags, cmd: Command) => {
    const { serveCommand } = await import('./commands/serve.js');
    setExitCode(await serveCommand(serveOptions(o, cmd), io));
  });

  connectionFlags(
    sourceFlags(program.command('facts').description('print the facts gathered from each node (the probe and every gatherer) as JSON'), io.env)
      .option('--node <names-or-roles>', 'only these nodes or roles (comma-separated, repeatable)', list)
      .option('--local', 'gather on this machine with sh, no SSH (the node is --node or the one matching the hostname)', false)
      .option('--concurrency <n>', 'nodes gathered at once', positiveInt('--concurrency'), 32),
  ).action(async (o: FactsFlags, cmd: Command) => {
    const { factsCommand } = await import('./commands/facts.js');
    setExitCode(await factsCommand(factsOptions(o, cmd), io));
  });

  program
    .command('schema')
    .description("print the inventory's JSON Schema (for editors: # yaml-language-server: $schema=…)")
    .action(async () => {
      const { schemaCommand } = await import('./commands/schema.js');
      setExitCode(schemaCommand(io));
    });

  program
    .command('probe')
    .description('print the script verify and facts run on every node (read-only, the same on every node), to audit it')
    .addOption(new Option('--become <how>', "the variant for nodes with become: sudo (reads root-only files with `sudo -n -- cat`)").choices(['none', 'sudo']).default('none'))
    .option('--session', 'print the command SSH starts on each node: the same probe, run on each request it reads on stdin (one per round), and the batch scripts it is sent', false)
    .option('--node <name>', "print this node's whole first request: the session SSH starts (for the node's become, from -i), then the `probe NONCE` request it reads, with the part of the batch that needs nothing from the probe")
    .addOption(inventoryOption(io.env))
    .action(async (o: ProbeOptions) => {
      const { probeCommand, probeNodeCommand } = await import('./commands/probe.js');
      setExitCode(o.node === undefined ? probeCommand(o, io) : await probeNodeCommand({ ...o, node: o.node }, io));
    });

  connectionFlags(
    sourceFlags(program.command('smoke-etcd').description("run the setup guide's etcdctl smoke test (ls, mkdir, set, get, rm, rmdir) on every etcd node, removing what it wrote"), io.env)
      .option('--node <name>', 'only this node (any role)')
      .addOption(new Option('--api <api>', 'etcd API: auto detects what etcdctl and the server support').choices(['auto', 'v2', 'v3']).default('auto'))
      .option('--json', 'print only the JSON report on stdout', false)
      .option('--concurrency <n>', 'nodes tested at once', positiveInt('--concurrency'), 32),
    10_000,
    'one etcdctl call',
  ).action(async (o: SmokeFlags, cmd: Command) => {
    const { smokeEtcdCommand } = await import('./commands/smoke-etcd.js');
    setExitCode(await smokeEtcdCommand(smokeOptions(o, cmd), io));
  });

  sourceFlags(program.command('lint').description('check the inventory without SSH: every loader rule plus flannel Network overlaps, on-link route gateways, etcd nodes for flannel, an etcd flannel can reach'), io.env)
    .option('--json', 'print only the JSON result on stdout', false)
    .action(async (o: FromFlags & { json: boolean }, cmd: Command) => {
      const { lintCommand } = await import('./commands/lint.js');
      setExitCode(await lintCommand({ ...sourceOptions(o, cmd), json: o.json } satisfies LintOptions, io));
    });

  program
    .command('render')
    .description('write each node\'s provisioning config from the inventory: Ignition (spec 3.3) or a Container Linux Config for ct')
    .addOption(inventoryOption(io.env))
    .option('--node <names-or-roles>', 'only these nodes or roles (comma-separated, repeatable)', list)
    .addOption(new Option('--format <format>', 'ignition: <node>.ign (Flatcar, Butane\'s output format); butane: <node>.bu (variant flatcar 1.0.0); clc: <node>.clc.yaml for ct').choices(['ignition', 'butane', 'clc']).default('ignition'))
    .requiredOption('--out <dir>', 'directory to write the files to (created when missing)')
    .action(async (o: RenderFlags) => {
      const { renderCommand } = await import('./commands/render.js');
      setExitCode(await renderCommand(renderOptions(o), io));
    });

  program
    .command('import')
    .description(
      "write an inventory from the configs the nodes were built from (the inverse of render): the setup guide's Container Linux Configs, " +
        'Butane configs (variant flatcar 1.0.0, 1.1.0), or Ignition 2.x (ct) / 3.x (Butane, Flatcar) JSON; one file per node, named after the node',
    )
    .argument('<configs...>', 'config files (.yaml, .bu, .json, .ign), or directories of them')
    .option('--out <file>', 'write the inventory to this file (default: stdout)')
    .option('--role <role=nodes>', 'give nodes a role the configs cannot say, e.g. master=app-etcd-1 or worker=app-worker-1,app-worker-2 (repeatable)', collect)
    .option('--host <node=address>', 'SSH to this address instead of the node\'s static address (repeatable; comma-separated pairs)', collect)
    .option('--files-dir <dir>', FILES_DIR_HELP)
    .addHelpText(
      'after',
      '\nEtcd nodes get the etcd role from their config; master and worker come only from --role. Every problem of every file is\n' +
        'reported with its file, line and column (or JSON pointer), and then nothing is written (exit 2). The setup guide\'s\n' +
        'networkd snippet indents the unit no deeper than `contents: |`, which leaves the unit empty: import says so and where.\n',
    )
    .action(async (paths: string[], o: ImportFlags) => {
      const { importCommand } = await import('./commands/import.js');
      setExitCode(await importCommand(importOptions(paths, o), io));
    });

  const flannel = program.command('flannel').description('read or write the flannel config key in etcd, through an etcd node');
  const etcdNodeFlags = (c: Command) =>
    connectionFlags(c.addOption(inventoryOption(io.env)).option('--node <name>', 'read/write through this node (default: the first etcd node)'));
  etcdNodeFlags(flannel.command('get').description('print the flannel config key and where it was read'))
    .option('--json', 'print only JSON on stdout', false)
    .action(async (o: FlannelFlags, cmd: Command) => {
      const { flannelGetCommand } = await import('./commands/flannel.js');
      setExitCode(await flannelGetCommand(flannelOptions(o, cmd), io));
    });
  etcdNodeFlags(flannel.command('set').description('write the flannel config key safely: refuse an overlapping Network, show old → new, write, read back'))
    .requiredOption('--network <cidr>', 'flannel Network, e.g. 10.1.0.0/16')
    .option('--subnet-len <n>', 'SubnetLen of each node lease (flannel default 24)', positiveInt('--subnet-len'))
    .addOption(new Option('--backend <type>', 'Backend.Type').choices(['vxlan', 'udp', 'host-gw']))
    .option('--dry-run', 'do every check and show old → new, but write nothing', false)
    .action(async (o: FlannelSetFlags, cmd: Command) => {
      const { flannelSetCommand } = await import('./commands/flannel.js');
      setExitCode(await flannelSetCommand(flannelSetOptions(o, cmd), io));
    });

  return program;
}
