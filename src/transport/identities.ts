import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { SshError } from './errors.js';

const { utils } = ssh2;

// A private key ready for ssh2, decrypted once: an encrypted key costs a bcrypt KDF (seconds in
// pure JS), which must not be paid again for every node.
export interface Identity {
  file: string;
  key: ParsedKey;
}

// The first key of a parse, ready to sign; undefined when the parse failed.
const usable = (k: ReturnType<typeof utils.parseKey>): ParsedKey | undefined => {
  const one = k instanceof Error ? undefined : Array.isArray(k) ? k[0] : k;
  return one && signingOnce(one);
};
const parsed = (key: Buffer, passphrase?: string): ParsedKey | undefined => usable(utils.parseKey(key, passphrase));

// ssh2 signs with the key's PEM text, which OpenSSL decodes again for every signature: one
// node's login. The same key whose PEM is an OpenSSL key object, decoded once, signs the same
// bytes (ssh2's own sign, its hash choice untouched) without it. Should a later ssh2 keep the PEM
// elsewhere (1.17 names it as below), the key is used as ssh2 made it: slower, nothing else changes.
export function signingOnce(key: ParsedKey): ParsedKey {
  const pemSymbol = Object.getOwnPropertySymbols(key).find((s) => s.description === 'Private key PEM');
  const pem = pemSymbol && (key as unknown as Record<symbol, unknown>)[pemSymbol];
  if (!pemSymbol || typeof pem !== 'string') return key;
  let decoded;
  try {
    decoded = createPrivateKey(pem);
  } catch {
    return key; // OpenSSL cannot read it on its own: ssh2 signs as it always did
  }
  const once = Object.create(key) as ParsedKey & Record<symbol, unknown>;
  once[pemSymbol] = decoded;
  return once;
}

// Where a passphrase comes from: $CLUSTERCTL_KEY_PASSPHRASE, else a prompt on the terminal.
// Never a flag: a flag would end up in shell history and in `ps` for every user to read.
export interface PassphraseSource {
  env?: string;
  prompt?: (question: string) => Promise<string>; // undefined: no terminal to ask on
}

const isEncryptedError = (e: Error) => /encrypted|passphrase/i.test(e.message);

async function openKey(file: string, key: Buffer, source: PassphraseSource): Promise<Identity> {
  const plain = utils.parseKey(key);
  if (!(plain instanceof Error)) {
    const k = usable(plain);
    if (k) return { file, key: k };
    throw new SshError('key-file', `cannot use identityFile ${file}: no key in it`);
  }
  if (!isEncryptedError(plain)) throw new SshError('key-file', `cannot use identityFile ${file}: ${plain.message}`);
  const tries: string[] = [];
  if (source.env !== undefined && source.env !== '') tries.push(source.env);
  for (const passphrase of tries) {
    const k = parsed(key, passphrase);
    if (k) return { file, key: k };
  }
  if (!source.prompt) {
    const why = tries.length ? '$CLUSTERCTL_KEY_PASSPHRASE does not open it' : 'no passphrase given';
    throw new SshError('key-file', `identityFile ${file} is encrypted and ${why}: set $CLUSTERCTL_KEY_PASSPHRASE, run on a terminal to be asked, or load it into ssh-agent (ssh-add ${file})`);
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const k = parsed(key, await source.prompt(`Enter passphrase for key '${file}': `));
    if (k) return { file, key: k };
  }
  throw new SshError('key-file', `identityFile ${file}: wrong passphrase (3 tries); or load it into ssh-agent (ssh-add ${file})`);
}

// Reads and opens each identity file once per run, however many nodes name it; prompts are
// asked one at a time so two nodes never talk over each other on the terminal.
export class IdentityCache {
  private readonly opened = new Map<string, Promise<Identity>>();
  private prompting: Promise<unknown> = Promise.resolve();
  constructor(private readonly source: PassphraseSource) {}

  get(file: string): Promise<Identity> {
    let p = this.opened.get(file);
    if (!p) {
      p = this.load(file);
      this.opened.set(file, p);
    }
    return p;
  }

  private async load(file: string): Promise<Identity> {
    let key: Buffer;
    try {
      key = await readFile(file);
    } catch (err) {
      throw new SshError('key-file', `cannot read identityFile ${file}: ${(err as Error).message}`, { cause: err });
    }
    const prompt = this.source.prompt;
    const serialPrompt = prompt && ((q: string) => (this.prompting = this.prompting.then(() => prompt(q), () => prompt(q))) as Promise<string>);
    return openKey(file, key, { ...(this.source.env !== undefined ? { env: this.source.env } : {}), ...(serialPrompt ? { prompt: serialPrompt } : {}) });
  }
}
