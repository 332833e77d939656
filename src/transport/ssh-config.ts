import { readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import SSHConfig from 'ssh-config';
import { UserError } from '../errors.js';

// ~/.ssh/config as OpenSSH reads it, through the maintained `ssh-config` parser: first value
// wins, Host and Match (host, originalhost, user, localuser, all, final) sections. `Match exec`
// is never run (a config file should not run commands inside a read-only check), and `Include`
// is not followed: both are reported as warnings.

// The settings clusterctl takes from the file, already expanded (~, %d %h %p %r %u %%).
export interface SshConfigEntry {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles?: string[];
  proxyJump?: string; // 'none' or [user@]host[:port]
  userKnownHostsFiles?: string[];
  globalKnownHostsFiles?: string[]; // GlobalKnownHostsFile: read after the user's, never written
  strictHostKeyChecking?: 'yes' | 'accept-new' | 'no';
  connectTimeoutMs?: number;
}

export interface SshConfigFile {
  path: string;
  lookup(host: string): SshConfigEntry;
  warnings: string[];
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const all = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function expandTokens(value: string, t: { host: string; port: number; user: string; home: string; original: string }): string {
  const home = value === '~' || value.startsWith('~/') ? t.home + value.slice(1) : value;
  return home.replace(/%([%dhnpru])/g, (_, c: string) =>
    c === '%' ? '%' : c === 'd' ? t.home : c === 'h' ? t.host : c === 'n' ? t.original : c === 'p' ? String(t.port) : c === 'r' ? t.user : userInfoName(),
  );
}

function userInfoName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
}

// OpenSSH accepts yes/no/ask/accept-new/off; "ask" has no terminal dialogue here, so it is "yes".
function strictOf(v: string | undefined): SshConfigEntry['strictHostKeyChecking'] {
  const s = v?.toLowerCase();
  if (s === 'no' || s === 'off') return 'no';
  if (s === 'accept-new') return 'accept-new';
  if (s === 'yes' || s === 'ask') return 'yes';
  return undefined;
}

export function parseSshConfig(text: string, path: string, home = homedir()): SshConfigFile {
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(text);
  } catch (err) {
    throw new UserError(`ssh config ${path} cannot be parsed: ${(err as Error).message}; fix it, pass another with --ssh-config FILE, or use --no-ssh-config`);
  }
  const warnings: string[] = [];
  if (/^\s*include\s/im.test(text)) warnings.push(`${path}: Include is not followed by clusterctl; put the hosts it needs in this file or pass --ssh-config FILE`);
  if (/^\s*match\s.*\bexec\b/im.test(text)) warnings.push(`${path}: "Match exec" sections are never run by clusterctl and never match`);
  return {
    path,
    warnings,
    lookup(host) {
      const c = config.compute(host, { ignoreCase: true, matchExec: false });
      const hostName = first(c.hostname);
      const portText = first(c.port);
      const port = portText !== undefined && /^\d+$/.test(portText) && +portText >= 1 && +portText <= 65535 ? Number(portText) : undefined;
      const user = first(c.user);
      const tokens = { host: hostName?.replace(/%h/g, host) ?? host, port: port ?? 22, user: user ?? '', home, original: host };
      const ex = (v: string) => resolve(expandTokens(v, tokens));
      const timeout = first(c.connecttimeout);
      const entry: SshConfigEntry = {};
      // In HostName itself %h is the name asked for; elsewhere it is the HostName.
      if (hostName !== undefined) entry.hostName = expandTokens(hostName, { ...tokens, host });
      if (user !== undefined) entry.user = user;
      if (port !== undefined) entry.port = port;
      const ids = all(c.identityfile).filter((f) => f.toLowerCase() !== 'none');
      if (ids.length) entry.identityFiles = ids.map(ex);
      const jump = first(c.proxyjump);
      if (jump !== undefined) entry.proxyJump = jump;
      const files = (v: string | string[] | undefined) => all(v).flatMap((f) => f.split(/\s+/)).filter(Boolean);
      const known = files(c.userknownhostsfile);
      if (known.length) entry.userKnownHostsFiles = known.map(ex);
      // Taken as written: OpenSSH expands ~ and %-tokens in UserKnownHostsFile only (ssh -G of
      // 9.2p1 prints GlobalKnownHostsFile ~/x as ~/x).
      const global = files(c.globalknownhostsfile);
      if (global.length) entry.globalKnownHostsFiles = global;
      const strict = strictOf(first(c.stricthostkeychecking));
      if (strict) entry.strictHostKeyChecking = strict;
      if (timeout !== undefined && /^\d+$/.test(timeout) && +timeout > 0) entry.connectTimeoutMs = Number(timeout) * 1000;
      return entry;
    },
  };
}

// --ssh-config FILE must exist (the user asked for it); ~/.ssh/config may be missing.
export async function loadSshConfig(explicit: string | undefined, home = homedir()): Promise<SshConfigFile | undefined> {
  const path = explicit ?? join(home, '.ssh', 'config');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (explicit === undefined && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`ssh config ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); pass another with --ssh-config FILE or use --no-ssh-config`, { cause: err });
  }
  return parseSshConfig(text, path, home);
}

// ProxyJump "[user@]host[:port]": one hop. Returns undefined for "none".
export function parseJump(spec: string): { host: string; user?: string; port?: number } | undefined {
  if (spec.toLowerCase() === 'none') return undefined;
  if (spec.includes(',')) throw new UserError(`ProxyJump ${spec}: clusterctl supports one jump host; chain through one bastion`);
  const m = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec);
  if (!m || m[2] === undefined) throw new UserError(`ProxyJump ${spec}: expected [user@]host[:port]`);
  const host = m[2].replace(/^\[|\]$/g, '');
  return { host, ...(m[1] !== undefined ? { user: m[1] } : {}), ...(m[3] !== undefined ? { port: Number(m[3]) } : {}) };
}
