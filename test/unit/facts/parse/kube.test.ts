import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKubeProcs } from '../../../../src/facts/parse/kube.js';
import { commandLine, planKube } from '../../../../src/facts/gatherers/kube.js';
import { facts, node } from '../../../fixtures/facts/builders.js';
import { value } from '../../../helpers/parsed.js';

// kube.procs as kube_procs prints it: a root kubelet with its arguments; any user's "kubelet"
// (`cp /bin/bash /tmp/kubelet`) listed with its uids only.
const ROOT = 'process 900 kubelet uid 0 0 0 0\n| /opt/bin/kubelet\n| --config=/etc/kubernetes/kubelet.yaml\n| --kubeconfig=/etc/kubernetes/kubelet.kubeconfig';
const IMPOSTOR = (pid: number) => `process ${pid} kubelet uid 65534 65534 65534 65534`;
// What the probe before the fix printed for the same impostor: its arguments, like anyone's.
const IMPOSTOR_ARGS = '| /tmp/kubelet\n| -c\n| sleep 1d\n| x\n| --config=/tmp/evil.yaml\n| --kubeconfig=/root/.kube/config';

describe('kube.procs', () => {
  test('each process with its name and uids; arguments only under their own head', () => {
    const body = [ROOT, IMPOSTOR(901), 'process 902 hyperkube uid ?', 'process 903 kube-apiserver uid 1000 0 0 0', 'a line of another shape', '| --stray=line'].join('\n');
    assert.deepEqual(value(parseKubeProcs(body)), [
      { pid: 900, name: 'kubelet', uids: [0, 0, 0, 0], argv: ['/opt/bin/kubelet', '--config=/etc/kubernetes/kubelet.yaml', '--kubeconfig=/etc/kubernetes/kubelet.kubeconfig'] },
      { pid: 901, name: 'kubelet', uids: [65534, 65534, 65534, 65534], argv: [] },
      { pid: 902, name: 'hyperkube', uids: null, argv: [] },
      { pid: 903, name: 'kube-apiserver', uids: [1000, 0, 0, 0], argv: [] },
    ]);
  });

  test('a head of another shape is no process, and the lines under it belong to none', () => {
    assert.deepEqual(value(parseKubeProcs(`process 5 kubelet\n${IMPOSTOR_ARGS}\nprocess 6 sshd uid 0 0 0 0\n| x`)), []);
  });
});

describe('which kubelet the kube.* checks inspect', () => {
  const worker = node({ name: 'w1', roles: ['worker'], become: 'sudo', kubernetes: { nodeName: 'w1' } });
  // The impostor before and after the real one in /proc order, with and without its arguments
  // (as the probe now prints it, and as a node could still claim): the root one is taken each time.
  const orders = {
    'impostor first': `${IMPOSTOR(41)}\n${IMPOSTOR_ARGS}\n${ROOT}`,
    'impostor last': `${ROOT}\n${IMPOSTOR(4100)}\n${IMPOSTOR_ARGS}`,
    'impostors around it': `${IMPOSTOR(41)}\n${ROOT}\n${IMPOSTOR(4100)}\n${IMPOSTOR_ARGS}`,
  };
  for (const [name, body] of Object.entries(orders)) {
    test(`${name}: the root kubelet, and no path of the impostor's in the batch`, () => {
      const probe = facts({ kubeProcs: value(parseKubeProcs(body)) });
      assert.deepEqual(commandLine(probe, 'kubelet'), { ok: { argv: ['/opt/bin/kubelet', '--config=/etc/kubernetes/kubelet.yaml', '--kubeconfig=/etc/kubernetes/kubelet.kubeconfig'], from: '/proc/900/cmdline' } });
      const plan = planKube(worker, probe);
      assert.equal(plan.config, '/etc/kubernetes/kubelet.yaml');
      assert.equal(plan.kubeconfig, '/etc/kubernetes/kubelet.kubeconfig');
      assert.deepEqual(plan.procs, [{ pid: 900, name: 'kubelet', component: 'kubelet' }]);
      const cmds = plan.items.map((i) => i.cmd).join('\n');
      assert.ok(!cmds.includes('/tmp/evil.yaml') && !cmds.includes('/root/.kube/config'), cmds);
    });
  }

  test('only an impostor: the unit says what starts, else no kubelet; never a read of its paths', () => {
    const onlyImpostor = facts({ kubeProcs: [{ pid: 41, name: 'kubelet', uids: [1000, 1000, 1000, 1000], argv: ['/tmp/kubelet', '--config=/tmp/evil.yaml'] }] });
    assert.deepEqual(commandLine(onlyImpostor, 'kubelet'), { absent: 'no root kubelet runs on the node (ignored, not root: PID 41 uid 1000), and systemd has no kubelet.service loaded' });
    const plan = planKube(worker, onlyImpostor);
    assert.equal(plan.config, undefined);
    assert.deepEqual(plan.items.map((i) => i.name), ['healthz']); // the kubelet's default port: nothing of the impostor's
    const unit = '# /etc/systemd/system/kubelet.service\n[Service]\nExecStart=/opt/bin/kubelet --config=/etc/kubernetes/kubelet.yaml\n';
    const withUnit = { ...onlyImpostor, kubeUnits: { ok: { 'kubelet.service': unit } } };
    assert.deepEqual(commandLine(withUnit, 'kubelet'), { ok: { argv: ['/opt/bin/kubelet', '--config=/etc/kubernetes/kubelet.yaml'], from: 'the ExecStart of /etc/systemd/system/kubelet.service' } });
    assert.deepEqual(planKube(worker, withUnit).procs, []);
  });

  test('a setuid program run as kubelet (effective uid 0, real uid not), or a root process of another name, is not the kubelet', () => {
    const argv = ['/tmp/kubelet', '--config=/tmp/evil.yaml'];
    const setuid = facts({ kubeProcs: [{ pid: 41, name: 'kubelet', uids: [1000, 0, 0, 0], argv }] });
    assert.ok('absent' in commandLine(setuid, 'kubelet'));
    const hyperkube = facts({ kubeProcs: [{ pid: 42, name: 'hyperkube', uids: [0, 0, 0, 0], argv: ['/hyperkube', 'kubelet', '--config=/etc/k.yaml'] }] });
    assert.deepEqual(commandLine(hyperkube, 'kubelet'), { ok: { argv: ['/hyperkube', 'kubelet', '--config=/etc/k.yaml'], from: '/proc/42/cmdline' } });
    assert.ok('absent' in commandLine(hyperkube, 'kube-apiserver'));
    const named = facts({ kubeProcs: [{ pid: 43, name: 'kube-apiserver', uids: [0, 0, 0, 0], argv: ['/opt/bin/kubelet', '--config=/etc/k.yaml'] }] });
    assert.ok('absent' in commandLine(named, 'kubelet'));
  });
});
