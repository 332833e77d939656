import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { planKube } from '../../../src/facts/gatherers/kube.js';
import { parseKubeProcs } from '../../../src/facts/parse/kube.js';
import type { KubeProcess } from '../../../src/facts/parse/kube.js';
import { buildProbe, PROBE_FUNCTIONS, SECTIONS, splitSections } from '../../../src/facts/probe.js';
import { facts, node } from '../../fixtures/facts/builders.js';
import { value } from '../../helpers/parsed.js';
import { SHELLS } from '../../helpers/shells.js';
import { TEST_NONCE } from '../../helpers/nonce.js';
import { withNonce } from '../../../src/util/frame-shell.js';

// kube_procs on this machine's real /proc: "kubelet"s started by nobody (`cp /bin/bash
// DIR/kubelet`, the issue's attack) before and after one started by root. Starting a process as
// another user needs root: elsewhere the test cannot set the scene and is skipped.
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const dir = mkdtempSync(join(tmpdir(), 'cclkubeprocs-'));
const kubelet = join(dir, 'kubelet');
const EVIL = join(dir, 'evil.yaml');
const GOOD = join(dir, 'good.yaml');
const started: ChildProcess[] = [];

// bash named kubelet, waiting on its stdin (no child process), with a --config of our choosing.
async function start(uid: number, config: string): Promise<number> {
  const argv = [kubelet, '-c', 'read -r _', 'x', `--config=${config}`, '--kubeconfig=/root/.kube/config'];
  const cmd = uid === 0 ? argv : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', ...argv];
  const child = spawn(cmd[0] as string, cmd.slice(1), { stdio: ['pipe', 'ignore', 'ignore'] });
  started.push(child);
  const pid = child.pid ?? assert.fail('not started');
  // setpriv execs the kubelet: wait until /proc says so (bounded; no time is asserted).
  for (let i = 0; i < 200; i++) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8') === 'kubelet\n') return pid;
    } catch {
      // not there yet
    }
    await sleep(10);
  }
  return assert.fail(`PID ${pid} never ran ${kubelet}`);
}

const section = withNonce(TEST_NONCE, buildProbe(SECTIONS.filter((s) => s.name === 'kube.procs'), PROBE_FUNCTIONS));

describe('kube_procs on this machine: any user\'s "kubelet" is listed with its uid and never inspected', { skip: asRoot ? false : 'needs root to start processes as nobody and as root' }, () => {
  let pids: { before: number; root: number; after: number; more: number[] };
  before(async () => {
    chmodSync(dir, 0o755);
    copyFileSync('/bin/bash', kubelet);
    chmodSync(kubelet, 0o755);
    const first = await start(NOBODY, EVIL);
    const root = await start(0, GOOD);
    const later = await start(NOBODY, EVIL);
    const more: number[] = [];
    for (let i = 0; i < 8; i++) more.push(await start(NOBODY, EVIL));
    pids = { before: first, root, after: later, more };
  });
  after(() => {
    for (const c of started) c.kill('SIGKILL');
  });

  // The probe runs as the SSH user: nobody. Only our processes count (a lab on this machine may
  // run real kubelets).
  const probe = (sh: (typeof SHELLS)[number]): string =>
    execFileSync('runuser', ['-u', 'nobody', '--', sh.bin, '-c', section], { env: { ...process.env, PATH: sh.path() }, encoding: 'utf8' });
  const ours = (sh: (typeof SHELLS)[number]): KubeProcess[] => {
    const out = probe(sh);
    const part = splitSections(out, TEST_NONCE).get('kube.procs');
    const body = part && 'body' in part ? part.body : assert.fail(out);
    const mine = new Set([pids.before, pids.root, pids.after, ...pids.more]);
    return value(parseKubeProcs(body)).filter((p) => mine.has(p.pid));
  };

  for (const sh of SHELLS) {
    test(`${sh.name}: the batch reads the root kubelet's --config, never the others' (before and after it in /proc)`, () => {
      const worker = node({ name: 'w1', roles: ['worker'], become: 'sudo', kubernetes: { nodeName: 'w1' } });
      const plan = planKube(worker, facts({ kubeProcs: ours(sh) }));
      assert.equal(plan.kubelet && 'ok' in plan.kubelet ? plan.kubelet.ok.from : plan.kubelet, `/proc/${pids.root}/cmdline`);
      assert.equal(plan.config, GOOD);
      const cmds = plan.items.map((i) => i.cmd).join('\n');
      assert.ok(!cmds.includes(EVIL), cmds);
    });

    test(`${sh.name}: the root one with its arguments; nobody's with their uids only, at most 8 of them`, () => {
      const procs = ours(sh);
      assert.deepEqual(procs.find((p) => p.pid === pids.root), { pid: pids.root, name: 'kubelet', uids: [0, 0, 0, 0], argv: [kubelet, '-c', 'read -r _', 'x', `--config=${GOOD}`, '--kubeconfig=/root/.kube/config'] });
      const others = procs.filter((p) => p.pid !== pids.root);
      assert.equal(others.length, 8, JSON.stringify(others)); // 10 were started
      for (const p of others) assert.deepEqual(p, { pid: p.pid, name: 'kubelet', uids: [NOBODY, NOBODY, NOBODY, NOBODY], argv: [] });
    });
  }
});
