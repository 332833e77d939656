import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { parseDuration } from '../run/poll.js';
import type { SshFlags } from '../run/connect.js';
import { DEFAULT_COMMAND_TIMEOUT_MS, defaultNodeTimeoutMs } from '../run/deadline.js';
import { nodeTimeoutOption, noSshConfigOption, retriesOption, sshConfigOption, sshFlagsOf } from './ssh-flags.js';

// Value parsers and the option groups several commands share. A bad value is a commander
// InvalidArgumentError: a usage error (exit 2) before anything runs.

export function positiveInt(flag: string) {
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

export function duration(flag: string) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === null || ms <= 0) throw new InvalidArgumentError(`${flag} takes a duration such as 5m, 90s, 1m30s or 500ms, got '${value}'`);
    return ms;
  };
}

// Comma-separated and repeatable: `--limit a,b --limit c` is [a, b, c].
export const list = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];

export function inventoryOption(env: NodeJS.ProcessEnv): Option {
  return new Option('-i, --inventory <file>', 'inventory YAML').default(env.CLUSTERCTL_INVENTORY || 'inventory.yaml', '$CLUSTERCTL_INVENTORY or ./inventory.yaml');
}

// --from: the configs the nodes were built from instead of an inventory (commands/source.ts).
export interface FromFlags {
  inventory: string;
  from?: string[];
  role?: string[];
  host?: string[];
  filesDir?: string;
}

// Repeatable, and several values after one flag: `--from a.yaml b.yaml --from dir` is [a.yaml,
// b.yaml, dir] (a shell glob expands to several words); the values end at the next option.
export const collectFrom = (v: string, prev: string[] = []): string[] => [...prev, v];
export const FROM_HELP =
  "check against the configs the nodes were built from (the setup guide's Container Linux Configs, Butane (variant flatcar), Ignition 2.x/3.x; files or directories, several after one --from, repeatable) instead of an inventory; with -i, that file's defaults: say how to reach the nodes";
export const ROLE_HELP = 'with --from: give nodes a role no config states (e.g. master=app-etcd-1; repeatable)';
export const HOST_HELP = 'with --from: the SSH host of a node whose config has no static address (repeatable)';
export const FILES_DIR_HELP = "the directory Butane configs' contents.local (and 1.1.0's *_local) paths are relative to, as butane --files-dir (default: each config's own directory)";

// Where a command's inventory comes from: -i, or --from (with --role and --host).
export function sourceFlags(c: Command, env: NodeJS.ProcessEnv): Command {
  return c
    .addOption(inventoryOption(env))
    .option('--from <configs...>', FROM_HELP, collectFrom)
    .option('--role <role=nodes>', ROLE_HELP, collectFrom)
    .option('--host <node=address>', HOST_HELP, collectFrom)
    .option('--files-dir <dir>', `with --from: ${FILES_DIR_HELP}`);
}

// The source options of a command: -i, or --from with the -i file only for how to connect.
export function sourceOptions(o: FromFlags, cmd: Command): { inventory: string; inventoryGiven: boolean; from?: string[]; roles?: string[]; hosts?: string[]; filesDir?: string } {
  // Given: on the command line, or by $CLUSTERCTL_INVENTORY (then the default is not ./inventory.yaml).
  return {
    inventory: o.inventory,
    inventoryGiven: cmd.getOptionValueSource('inventory') === 'cli' || o.inventory !== 'inventory.yaml',
    ...(o.from ? { from: o.from } : {}),
    ...(o.role ? { roles: o.role } : {}),
    ...(o.host ? { hosts: o.host } : {}),
    ...(o.filesDir ? { filesDir: o.filesDir } : {}),
  };
}

// What commander parses from connectionFlags().
export interface ConnectionFlags {
  connectTimeout: number; // ms
  commandTimeout: number; // ms
  nodeTimeout?: number; // ms
  sshConfig?: string | boolean;
  retries: number;
}

// The flags of every command that connects to nodes: timeouts, ~/.ssh/config, retries.
export function connectionFlags(c: Command, commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS, commandWhat = 'a remote command'): Command {
  const timeout = (flags: string, what: string, ms: number) =>
    new Option(`${flags} <seconds>`, what).argParser(seconds(flags)).default(ms, String(ms / 1000));
  return c
    .addOption(timeout('--connect-timeout', 'give up connecting to a node after this long', 10_000))
    .addOption(timeout('--command-timeout', `stop ${commandWhat} after this long`, commandTimeoutMs))
    .addOption(nodeTimeoutOption())
    .addOption(sshConfigOption())
    .addOption(noSshConfigOption())
    .addOption(retriesOption());
}

// The connection part of every connecting command's Options; `requests`: the commands the
// command runs on a node at most, for --node-timeout's default.
export function connectionOptions(o: ConnectionFlags, cmd: Command, requests = 2): { connectTimeoutMs: number; commandTimeoutMs: number; nodeTimeoutMs: number; ssh: SshFlags } {
  const t = { connectTimeoutMs: o.connectTimeout, commandTimeoutMs: o.commandTimeout };
  return { ...t, nodeTimeoutMs: o.nodeTimeout ?? defaultNodeTimeoutMs({ ...t, retries: o.retries }, requests), ssh: sshFlagsOf(o, cmd) };
}
