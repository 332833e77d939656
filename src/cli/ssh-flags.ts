import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import type { SshFlags } from '../run/connect.js';

// The SSH flags every command that connects takes (commander options), and what they become
// for the engine's connect (SshFlags).

function retries(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new InvalidArgumentError(`--retries takes a whole number 0..10, got '${value}'`);
  return n;
}

// Checked while parsing, so a missing file is a usage error (exit 2) before any connection.
function existingFile(value: string): string {
  if (!existsSync(value)) throw new InvalidArgumentError(`ssh config ${value} does not exist; use --no-ssh-config to read none`);
  return value;
}

// As Option objects so each command's chain can take them with .addOption().
export const sshConfigOption = () =>
  new Option('--ssh-config <file>', 'OpenSSH client config to read (Host/Match: HostName, User, Port, IdentityFile, ProxyJump, …)').argParser(existingFile);
export const noSshConfigOption = () => new Option('--no-ssh-config', 'read no ssh config (default: ~/.ssh/config when it exists)');
export const retriesOption = () =>
  new Option('--retries <n>', 'extra connection attempts after network failures (never after host-key or auth failures)').argParser(retries).default(1);

// Checked while parsing: a usage error (exit 2) before any connection.
function nodeSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`--node-timeout takes seconds > 0, e.g. 60 or 2.5, got '${value}'`);
  return Math.round(n * 1000);
}

// No default value here: the default follows from the other flags (run/deadline.ts).
export const nodeTimeoutOption = () =>
  new Option('--node-timeout <seconds>', "give up on a node after this long in one run or --watch round: its connect and every command (default: every connect attempt --retries allows, plus the command timeout for each of the node's commands)").argParser(nodeSeconds);

export function sshFlagsOf(o: { sshConfig?: string | boolean; retries: number }, cmd: Command): SshFlags {
  const flags: SshFlags = { retries: o.retries, connectTimeoutExplicit: cmd.getOptionValueSource('connectTimeout') === 'cli' };
  // Commander gives true when neither flag was given (the --no- form defaults the value to true).
  if (o.sshConfig === false) flags.sshConfig = false;
  else if (typeof o.sshConfig === 'string') flags.sshConfig = o.sshConfig;
  return flags;
}
