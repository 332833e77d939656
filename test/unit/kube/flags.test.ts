import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apiserverBaseUrl, apiserverFlags, flagValue, kubeletFlags, kubeletHealthzUrl, parseCmdline, unitCommandLine } from '../../../src/kube/flags.js';

const unitText = readFileSync(fileURLToPath(new URL('../../fixtures/kube/kubelet.service.txt', import.meta.url)), 'utf8');

describe('command lines: /proc/PID/cmdline and a unit\'s ExecStart', () => {
  test('cmdline: NUL-separated, trailing NUL; empty (exited) is an error', () => {
    const text = ['/usr/bin/kubelet', '--node-ip=198.18.0.21', '--hostname-override', 'w1', ''].join('\0');
    assert.deepEqual(parseCmdline(text, '/proc/9/cmdline'), { ok: { argv: ['/usr/bin/kubelet', '--node-ip=198.18.0.21', '--hostname-override', 'w1'], from: '/proc/9/cmdline' } });
    assert.deepEqual(parseCmdline('', '/proc/9/cmdline'), { error: '/proc/9/cmdline is empty (the process exited, or is a kernel thread)' });
  });

  test('systemctl cat: continuation lines joined, ${VAR} from a drop-in expanded, EnvironmentFile named as hidden', () => {
    const r = unitCommandLine(unitText, 'kubelet.service');
    assert.ok('ok' in r);
    assert.equal(r.ok.from, 'the ExecStart of /etc/systemd/system/kubelet.service');
    assert.deepEqual(r.ok.hidden, ['/etc/kubernetes/kubelet.env']);
    assert.equal(r.ok.argv[0], '/usr/lib/coreos/kubelet-wrapper');
    assert.deepEqual(kubeletFlags(r.ok.argv), {
      kubeconfig: '/etc/kubernetes/kubelet.kubeconfig',
      hostnameOverride: 'w1',
      nodeIp: '198.18.0.21',
      certDir: '/var/lib/kubelet/pki',
    });
  });

  test('no unit, a unit without ExecStart, output without a file header', () => {
    assert.deepEqual(unitCommandLine('', 'kubelet.service'), { absent: 'no kubelet.service on the node' });
    assert.deepEqual(unitCommandLine('# /etc/systemd/system/kubelet.service\n[Service]\nRestart=always\n', 'kubelet.service'), {
      error: 'kubelet.service has no ExecStart line (/etc/systemd/system/kubelet.service)',
    });
    assert.ok('error' in unitCommandLine('No files found for kubelet.service.\n', 'kubelet.service'));
  });
});

describe('flags as pflag reads them', () => {
  test('--name=V and --name V; the last wins; a bare boolean is true; argv[0] and after -- are not flags', () => {
    const argv = ['--healthz-port=1', '--healthz-port', '0', '--register-node', '--', '--node-ip=9.9.9.9'];
    assert.equal(flagValue(['kubelet', ...argv], 'healthz-port'), '0');
    assert.equal(flagValue(['kubelet', ...argv], 'register-node'), 'true');
    assert.equal(flagValue(['kubelet', ...argv], 'node-ip'), undefined);
    assert.equal(flagValue(['--node-ip=1.2.3.4'], 'node-ip'), undefined, 'argv[0] is the program');
  });

  test('kubelet: --healthz-port=0 disables healthz (Typhoon); a bind address is asked directly', () => {
    assert.deepEqual(kubeletHealthzUrl(kubeletFlags(['kubelet', '--healthz-port=0', '--read-only-port=0'])), {
      disabled: 'the kubelet runs with healthz port 0, so it serves no healthz endpoint',
    });
    assert.deepEqual(kubeletHealthzUrl(kubeletFlags(['kubelet'])), { url: 'http://127.0.0.1:10248/healthz' });
    assert.deepEqual(kubeletHealthzUrl(kubeletFlags(['kubelet', '--healthz-port', '10256', '--healthz-bind-address=198.18.0.21'])), { url: 'http://198.18.0.21:10256/healthz' });
    assert.deepEqual(kubeletFlags(['kubelet', '--healthz-port=x']), {}, 'a port that is no number is left out');
  });

  test('kube-apiserver: etcd servers split at commas; its address for /livez', () => {
    const f = apiserverFlags(['kube-apiserver', '--etcd-servers=http://198.18.0.11:2379, http://198.18.0.12:2379', '--secure-port=16443', '--bind-address=0.0.0.0', '--advertise-address=198.18.0.11', '--tls-cert-file=/etc/kubernetes/tls/apiserver.crt', '--kubelet-client-certificate=/etc/kubernetes/tls/apiserver-kubelet-client.crt', '--etcd-certfile=/etc/kubernetes/tls/etcd-client.crt']);
    assert.deepEqual(f, {
      etcdServers: ['http://198.18.0.11:2379', 'http://198.18.0.12:2379'],
      securePort: 16443,
      bindAddress: '0.0.0.0',
      advertiseAddress: '198.18.0.11',
      tlsCertFile: '/etc/kubernetes/tls/apiserver.crt',
      kubeletClientCertificate: '/etc/kubernetes/tls/apiserver-kubelet-client.crt',
      etcdCertfile: '/etc/kubernetes/tls/etcd-client.crt',
    });
    assert.equal(apiserverBaseUrl(f), 'https://127.0.0.1:16443');
    assert.equal(apiserverBaseUrl(undefined), 'https://127.0.0.1:6443');
    assert.equal(apiserverBaseUrl(apiserverFlags(['kube-apiserver', '--bind-address=198.18.0.11'])), 'https://198.18.0.11:6443');
  });
});
