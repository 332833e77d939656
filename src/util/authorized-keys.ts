// One line of an authorized_keys file, read as sshd reads it (sshd(8) AUTHORIZED_KEYS FILE
// FORMAT; auth2-pubkeyfile.c, sshkey_read, sshkey_advance_past_options, sshauthopt_parse in
// openssh-portable 10.5): [options] keytype base64-key [comment]. render gives a node only lines
// that pass, so a private key or any other file named by mistake never reaches an Ignition
// config. Messages never quote the line: it may be a secret.
import { KEY_TYPES, keyBlobProblem } from './ssh-key-blob.js';

// A private key's first line: PEM and OpenSSH (-----BEGIN OPENSSH PRIVATE KEY-----), SSH.COM
// (---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----), PuTTY (PuTTY-User-Key-File-3: ssh-ed25519).
const PRIVATE = /^-{4,5} ?BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY ?-{4,5}$|^PuTTY-User-Key-File-\d+:/;

// What a private key's first line says it is, e.g. "BEGIN OPENSSH PRIVATE KEY", or undefined.
export function privateKeyHeader(line: string): string | undefined {
  const m = PRIVATE.exec(line);
  if (m === null) return undefined;
  return m[0].startsWith('PuTTY') ? 'a PuTTY private key file' : `BEGIN ${m[1] ?? ''}PRIVATE KEY`;
}

export const NOT_A_KEY = `not a public key: an authorized_keys line is [options] keytype base64-key [comment], keytype one of ${KEY_TYPES.filter((t) => !t.includes('-cert-')).join(', ')} or a -cert-v01@openssh.com certificate (a .pub file ssh-keygen wrote)`;

const FLAGS = ['restrict', 'cert-authority', 'port-forwarding', 'agent-forwarding', 'x11-forwarding', 'touch-required', 'verify-required', 'pty', 'user-rc'];
const NEGATABLE = new Set(FLAGS.slice(2));
const VALUED = ['command', 'principals', 'from', 'expiry-time', 'environment', 'permitopen', 'permitlisten', 'tunnel'];

const split = (s: string): [string, string] => {
  const end = s.search(/[ \t]/);
  return end < 0 ? [s, ''] : [s.slice(0, end), s.slice(end).replace(/^[ \t]+/, '')];
};

// sshkey_advance_past_options: the options end at the first space or tab outside "quotes"
// (\" does not toggle); undefined when a quote is left open.
function optionsEnd(line: string): number | undefined {
  let quoted = false;
  let i = 0;
  for (; i < line.length && (quoted || (line[i] !== ' ' && line[i] !== '\t')); i++) {
    if (line[i] === '\\' && line[i + 1] === '"') i++;
    else if (line[i] === '"') quoted = !quoted;
  }
  return quoted ? undefined : i;
}

// opt_dequote: from the opening quote at `at`, the index after its closing one.
function quotedEnd(opts: string, at: number): number | undefined {
  if (opts[at] !== '"') return undefined;
  for (let i = at + 1; i < opts.length; i++) {
    if (opts[i] === '\\' && opts[i + 1] === '"') i++;
    else if (opts[i] === '"') return i + 1;
  }
  return undefined;
}

// opt_flag: a flag (case-insensitive, most may start with no-) at the start of `rest`; its length.
function flagLength(rest: string): number {
  const negated = rest.startsWith('no-') ? 3 : 0;
  const flag = FLAGS.find((f) => rest.startsWith(f, negated) && (negated === 0 || NEGATABLE.has(f)));
  return flag === undefined ? 0 : negated + flag.length;
}

const optionName = (s: string): string => {
  const name = /^[A-Za-z0-9-]{1,40}/.exec(s)?.[0];
  return name === undefined ? 'an unknown option' : `unknown option ${name}`;
};

// sshauthopt_parse: comma-separated flags and name="value" options.
function optionsProblem(opts: string): string | undefined {
  let i = 0;
  for (;;) {
    const rest = opts.slice(i).toLowerCase();
    const flag = flagLength(rest);
    if (flag > 0) i += flag;
    else {
      const name = VALUED.find((v) => rest.startsWith(`${v}=`));
      if (name === undefined) return optionName(opts.slice(i));
      const end = quotedEnd(opts, i + name.length + 1);
      if (end === undefined) return `the value of the option ${name}= is not in "quotes"`;
      i = end;
    }
    if (i === opts.length) return undefined;
    if (opts[i] !== ',') return optionName(opts.slice(i - (flag > 0 ? flag : 0)));
    if (++i === opts.length) return 'the options end in a comma';
  }
}

// sshkey_read: the key type, then its blob in canonical base64 (b64_pton takes no other).
function keyProblem(text: string): string | undefined {
  const [type, rest] = split(text);
  const [b64] = split(rest);
  if (b64 === '') return `nothing follows the key type ${type}: the base64 key is missing`;
  const blob = Buffer.from(b64, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || blob.toString('base64') !== b64) return `the key after ${type} is not base64`;
  const problem = keyBlobProblem(blob, type);
  return problem === undefined ? undefined : `the key after ${type} is not a ${type} public key: ${problem}`;
}

const startsWithType = (text: string): boolean => KEY_TYPES.includes(split(text)[0]);

// The problem with one key line (no comment, not blank), or undefined when sshd would take it.
export function keyLineProblem(line: string): string | undefined {
  const header = privateKeyHeader(line);
  if (header !== undefined) return `a private key (${header}): give the public key, the .pub file beside it`;
  if (startsWithType(line)) return keyProblem(line);
  const end = optionsEnd(line);
  if (end === undefined) return 'not a public key: a " in its options is never closed';
  const key = line.slice(end).replace(/^[ \t]+/, '');
  if (!startsWithType(key)) return NOT_A_KEY;
  return keyProblem(key) ?? optionsProblem(line.slice(0, end));
}
