import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { environmentLine, execWord, unitFile } from '../../../src/render/systemd-text.js';

// systemd's unquoting of one double-quoted word (extract_first_word with EXTRACT_UNQUOTE |
// EXTRACT_CUNESCAPE, systemd.syntax(7)), written independently of the escaper under test.
function systemdUnquote(word: string): string {
  assert.ok(word.startsWith('"') && word.endsWith('"'), `not a quoted word: ${word}`);
  const body = word.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '"') assert.fail(`unescaped quote inside the word at ${i}: ${word}`);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"' };
    if (n !== undefined && n in simple) out += simple[n];
    else if (n === 'x') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else assert.fail(`unknown escape \\${n}`);
  }
  return out;
}

// Undo specifier doubling the way systemd does (%% → %); a lone % would be a specifier.
function unspecify(text: string): string {
  assert.doesNotMatch(text.replace(/%%/g, ''), /%/, 'a lone % would be expanded as a specifier');
  return text.replace(/%%/g, '%');
}

const HOSTILE = ['a"b', 'x\ny', '$(touch /tmp/pwned)', '`id`', "it's", 'back\\slash', '100%n', 'tab\there', 'bell\x07', '${HOME}'];

describe('environmentLine', () => {
  test('a plain value is written as it is', () => {
    assert.equal(environmentLine('ETCD_NAME', 'app-etcd-1'), 'Environment="ETCD_NAME=app-etcd-1"');
  });
  for (const value of HOSTILE) {
    test(`${JSON.stringify(value)} stays one line and reads back as exactly itself`, () => {
      const line = environmentLine('X', value);
      assert.doesNotMatch(line, /[\n\r]/);
      const word = line.slice('Environment='.length);
      assert.equal(unspecify(systemdUnquote(word)), `X=${value}`);
    });
  }
  test('a variable name that is not one is a bug, not output', () => {
    assert.throws(() => environmentLine('X Y', 'v'), /bad environment variable name/);
  });
});

describe('execWord', () => {
  test('plain words are left bare', () => {
    assert.equal(execWord('/usr/bin/etcdctl'), '/usr/bin/etcdctl');
    assert.equal(execWord('--endpoints=http://198.18.1.11:2379,http://198.18.1.12:2379'), '--endpoints=http://198.18.1.11:2379,http://198.18.1.12:2379');
  });
  for (const value of [...HOSTILE, '{"Network":"10.1.0.0/16"}', '']) {
    test(`${JSON.stringify(value)} is one quoted word; $ and % cannot expand`, () => {
      const word = execWord(value);
      assert.doesNotMatch(word, /[\n\r]/);
      const unquoted = unspecify(systemdUnquote(word));
      // Exec lines expand $VAR and ${VAR}; $$ is a literal $.
      assert.doesNotMatch(unquoted.replace(/\$\$/g, ''), /\$/);
      assert.equal(unquoted.replace(/\$\$/g, '$'), value);
    });
  }
});

describe('unitFile', () => {
  test('sections in order, a blank line between them, empty sections left out, one final newline', () => {
    assert.equal(
      unitFile([
        { name: 'Match', lines: ['Name=eth0'] },
        { name: 'Empty', lines: [] },
        { name: 'Network', lines: ['Address=198.18.1.11/24', 'DNS=198.18.0.1'] },
      ]),
      '[Match]\nName=eth0\n\n[Network]\nAddress=198.18.1.11/24\nDNS=198.18.0.1\n',
    );
  });
});
