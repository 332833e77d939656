import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { collectFacts } from '../../../src/facts/collect.js';
import { parseFacts } from '../../../src/facts/parse/probe-output.js';
import { PART_PREAMBLE } from '../../../src/util/frame-shell.js';
import { readParts } from '../../../src/util/frames.js';
import { inventory, node } from '../../fixtures/facts/builders.js';
import { provisioned } from '../../../src/facts/collectors/provisioned.js';
import { planned } from '../../../src/facts/planned-collector.js';
import { okFact, valueOf } from '../../../src/util/fact.js';
import { shellQuote } from '../../../src/util/shell.js';
import { buildProbe, PROBE, PROBE_FUNCTIONS, probeFor, SECTIONS } from '../../../src/facts/probe.js';
import type { ProbeSection } from '../../../src/facts/probe.js';
import { runProbeOn, runScriptOn, requestLost } from '../../../src/facts/request.js';
import { localTransport } from '../../../src/transport/local.js';
import { childProcess, ProcessShell } from '../../../src/transport/remote-shell.js';
import type { RemoteShell, Transport } from '../../../src/transport/types.js';
import { sectionsOf } from '../../helpers/probe-sections.js';
import { TEST_NONCE } from '../../helpers/nonce.js';
import type { Reply } from '../../../src/facts/request.js';

// A reply without its nonce, to compare with a plain result.
const plain = ({ nonce: _nonce, ...r }: Reply) => r;
import { runIn, SHELLS } from '../../helpers/shells.js';
import { straced } from '../../helpers/strace.js';
import type { Shell } from '../../helpers/shells.js';

// The probe's session run for real, as sshd would run it (`SHELL -c SESSION`, stdin kept open),
// under bash (its fast path) and dash without bash on PATH (the POSIX path).
function shellTransport(shell: Shell): Transport & { started: number; shell(command: string): RemoteShell } {
  const shells = new Map<string, RemoteShell>();
  const t = {
    started: 0,
    exec: () => Promise.reject(new Error('this transport only runs shells')),
    close: () => shells.forEach((s) => s.close()),
    shell(command: string): RemoteShell {
      const open = shells.get(command);
      if (open?.isOpen()) return open;
      t.started++;
      const child = spawn(shell.bin, ['-c', command], { env: { ...process.env, PATH: shell.path() }, stdio: ['pipe', 'pipe', 'pipe'] });
      const s = new ProcessShell(Promise.resolve(childProcess(child, shell.name, () => void child.kill('SIGKILL'))));
      shells.set(command, s);
      return s;
    },
  };
  return t;
}

for (const shell of SHELLS) {
  describe(`the probe's session under ${shell.name}`, () => {
    const t = shellTransport(shell);
    after(() => t.close());

    test('a probe request prints what the one-shot probe prints, section for section, and again on the same shell', async () => {
      const once = sectionsOf(runIn(shell, PROBE));
      for (const round of [1, 2]) {
        const r = await runProbeOn(t, 'none', 20_000);
        assert.equal(r.code, 0, r.stderr);
        assert.ok(r.stdout.endsWith(`@@clusterctl:end ${r.nonce} done rc=0\n`), `round ${round}: ${r.stdout.slice(-200)}`);
        const got = sectionsOf(r.stdout, r.nonce);
        assert.deepEqual([...got.keys()], [...once.keys()]);
        for (const name of ['hostname', 'hostname.file', 'resolv', 'init']) assert.deepEqual(got.get(name), once.get(name), name);
        assert.deepEqual(parseFacts(r.stdout, r.nonce).hostname, parseFacts(runIn(shell, PROBE), TEST_NONCE).hostname);
      }
      assert.equal(t.started, 1, 'one shell for both rounds');
    });

    test('scripts: output without a final line break, its status, and a line that looks like the end of a reply', async () => {
      assert.deepEqual(plain(await runScriptOn(t, 'none', 'printf "a\\nb"', 5000)), { stdout: 'a\nb', stderr: '', code: 0, timedOut: false });
      const r = plain(await runScriptOn(t, 'none', 'echo "@@clusterctl:ran 0123456789abcdef rc=0"; echo "@@clusterctl:done"; echo after; exit 7', 5000));
      assert.deepEqual(r, { stdout: '@@clusterctl:ran 0123456789abcdef rc=0\n@@clusterctl:done\nafter\n', stderr: '', code: 7, timedOut: false });
      assert.equal(t.started, 1, '`exit` ends the script, not the session');
    });

    test('a script reads /dev/null, not the requests; its variables and functions die with it', async () => {
      assert.deepEqual((await runScriptOn(t, 'none', 'x=1; f() { :; }; cat; echo "read $?"', 5000)).stdout, 'read 0\n');
      assert.deepEqual((await runScriptOn(t, 'none', 'echo "${x-unset} $(command -v f || echo nof)"', 5000)).stdout, 'unset nof\n');
      assert.equal((await runProbeOn(t, 'none', 20_000)).code, 0);
      assert.equal(t.started, 1);
    });

    test("a section's kept variable is emptied when the section fails in a later round (the shell lives on)", async () => {
      const d = mkdtempSync(join(tmpdir(), 'cclkeep-'));
      writeFileSync(join(d, 'v'), 'first\n');
      const sections: ProbeSection[] = [
        { name: 'a', keepAs: 'kept', attempts: [{ fmt: 'text', cmd: `cat ${d}/v` }] },
        { name: 'b', attempts: [{ fmt: 'text', cmd: 'echo "kept=[$kept]"' }] },
      ];
      const s = t.shell(buildProbe(sections, PROBE_FUNCTIONS, 'session'));
      let nonce = '';
      const ask = async () => sectionsOf((await s.request((n) => `probe ${(nonce = n)}\n`, { timeoutMs: 10_000 })).stdout, nonce).get('b')?.body;
      try {
        assert.equal(await ask(), 'kept=[first]');
        rmSync(join(d, 'v'));
        assert.equal(await ask(), 'kept=[]');
      } finally {
        rmSync(d, { recursive: true, force: true });
      }
    });

    test('a long script with multibyte text and request-like lines reaches the shell whole, and the next request is read after it', async () => {
      const lines = Array.from({ length: 400 }, (_, i) => `echo 'ligne ${i}: é ü 日本 \\ $x'`);
      lines.splice(200, 0, "echo 'probe 0123456789abcdef'", ': script 0123456789abcdef 12');
      const r = await runScriptOn(t, 'none', lines.join('\n'), 10_000);
      assert.equal(r.code, 0, r.stderr);
      const out = r.stdout.split('\n');
      assert.equal(out.length, 402); // 401 lines and the final line break
      assert.equal(out[0], 'ligne 0: é ü 日本 \\ $x');
      assert.equal(out[200], 'probe 0123456789abcdef');
      assert.equal(out[400], 'ligne 399: é ü 日本 \\ $x');
      assert.deepEqual(plain(await runScriptOn(t, 'none', 'echo next', 5000)), { stdout: 'next\n', stderr: '', code: 0, timedOut: false });
    });

    test('issue 22 item 7: a probe request carries a script: the sections, then its parts, in one reply; its status is the sections\'', async () => {
      const started = t.started;
      const script = `${PART_PREAMBLE}\npart rider.0 3 "" "$clusterctl_nonce"\nexit 5`;
      const r = await runProbeOn(t, 'none', 20_000, script);
      assert.equal(r.code, 0, r.stderr);
      const parts = readParts(r.stdout, r.nonce);
      assert.deepEqual([...parts.keys()], [...SECTIONS.map((x) => x.name), 'done', 'rider.0']);
      assert.deepEqual(parts.get('rider.0'), { rc: 3, attrs: {}, body: r.nonce }, 'the script sees the request\'s nonce');
      assert.deepEqual(parseFacts(r.stdout, r.nonce).hostname, parseFacts(runIn(shell, PROBE), TEST_NONCE).hostname);
      // the next requests are read as before, on the same shell
      assert.deepEqual(plain(await runScriptOn(t, 'none', 'echo next', 5000)), { stdout: 'next\n', stderr: '', code: 0, timedOut: false });
      assert.deepEqual([...readParts((await runProbeOn(t, 'none', 20_000)).stdout, r.nonce).keys()], [], 'a fresh nonce a request');
      assert.equal(t.started, started);
    });

    test('issue 22 item 7: collectFacts: what plans without the probe rides in its request (one request); what plans from it follows in a second', async () => {
      let requests = 0;
      const counted: Transport = {
        exec: t.exec,
        close: () => {},
        shell(command: string) {
          const s = t.shell(command);
          return { isOpen: () => s.isOpen(), close: () => s.close(), request: (req, o) => (requests++, s.request(req, o)) };
        },
      };
      const dir = mkdtempSync(join(tmpdir(), 'cclride-'));
      writeFileSync(join(dir, 'f'), 'x\n');
      const n1 = node({ name: 'n1', provisioned: { files: [{ path: join(dir, 'f'), mode: 0o644, contentKnown: false, from: 't.ign' }], units: [] } });
      // A collector whose plan reads the probe's facts: it prints the hostname the probe found.
      const late = planned({
        fact: 'late',
        label: 'late',
        applies: () => true,
        usesProbe: true,
        prefix: 'late',
        plan: ({ probe }) => ({ host: valueOf(probe.hostname) ?? '' }),
        script: ({ host }) => `part late 0 "" ${shellQuote(host)}`,
        read: (_p, reply) => okFact(reply.parts.get('late')),
      });
      try {
        const g = await collectFacts(counted, n1, inventory([n1]), 20_000, [provisioned]);
        assert.ok(g.ok);
        assert.equal(requests, 1);
        assert.deepEqual(valueOf(g.facts.provisioned)?.files.map((f) => f.state), ['present']);
        requests = 0;
        const h = await collectFacts(counted, n1, inventory([n1]), 20_000, [provisioned, late]);
        assert.ok(h.ok);
        assert.equal(requests, 2);
        assert.deepEqual(valueOf(h.facts.provisioned)?.files.map((f) => f.state), ['present']);
        assert.deepEqual((h.facts as unknown as Record<string, unknown>).late, { ok: { rc: 0, attrs: {}, body: valueOf(h.facts.hostname) } });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('a script past its timeout: timed out, the session is gone, the next request starts a new one', async () => {
      const before = t.started;
      const slow = await runScriptOn(t, 'none', 'echo started; sleep 5', 300);
      assert.equal(slow.timedOut, true);
      assert.equal(slow.code, null);
      assert.equal(slow.stdout, 'started\n');
      assert.deepEqual(plain(await runScriptOn(t, 'none', 'echo next', 5000)), { stdout: 'next\n', stderr: '', code: 0, timedOut: false });
      assert.equal(t.started, before + 1);
    });
  });
}

describe('the session under bash reads a script with one read -N', () => {
  // A line loop reads a pipe one byte a read(2); the script's length lets bash take it in a few.
  test('a 20 KB script costs a few reads of stdin, not one a byte', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'cclsession-'));
    try {
      const script = Array.from({ length: 500 }, (_, i) => `: line ${i} of a script that is long enough`).join('\n');
      const nonce = '0123456789abcdef';
      writeFileSync(join(dir, 'requests'), `script ${nonce} ${Buffer.byteLength(script) + 1}\n${script}\n${nonce}\n`);
      const traces = await straced(t, dir, 'read', ['/bin/bash', '-c', probeFor('none', 'session')], join(dir, 'requests'));
      if (!traces) return;
      const fromStdin = traces.flatMap((calls) => calls.split('\n')).filter((l) => /^read\(0,/.test(l));
      assert.ok(script.length > 20_000);
      assert.ok(fromStdin.length > 0 && fromStdin.length < 100, `${fromStdin.length} reads of stdin for ${script.length} bytes`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the session, framed', () => {
  test('a session that cannot start, or ends mid-request, answers with why (requestLost), never hangs', async () => {
    const failed = new ProcessShell(Promise.reject(new Error('channel open failure')));
    const r = await failed.request((n) => `probe ${n}\n`, { timeoutMs: 1000 });
    assert.equal(requestLost(r), 'cannot start a command: channel open failure');
    const t = localTransport();
    const dies = await runScriptOn(t, 'none', 'kill -9 $$; sleep 1', 5000); // $$: the session's shell, even in the script's subshell
    assert.match(requestLost(dies) ?? '', /^the remote shell ended during the command: sh exited \(SIGKILL\)$/);
    t.close();
  });
  test('the sudo variant is the same session told become=sudo by its first line', () => {
    assert.equal(probeFor('sudo', 'session'), `clusterctl_become=sudo\n${probeFor('none', 'session')}`);
    assert.match(probeFor('none', 'session'), /^# clusterctl probe session: reads "probe NONCE" or "probe\|script NONCE BYTES"/);
  });
});
