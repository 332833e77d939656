import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { apiServerUnit } from '../../../src/render/apiserver.js';
import { apiServerUrl, kubeNodeName, pkiFile } from '../../../src/render/kubernetes.js';
import { renderNode } from '../../../src/render/render.js';
import { readClc } from '../../../src/render/clc.js';
import { nodeUnits } from '../../../src/render/units.js';
import { inventoryOf, KUBERNETES, THREE_ETCD } from '../../fixtures/render/inventories.js';
import { goldenRenderTests } from '../../helpers/render-golden.js';

const GOLDEN = fileURLToPath(new URL('../../fixtures/render/kubernetes/', import.meta.url));
const inv = inventoryOf(KUBERNETES);
const byName = (n: string) => inv.nodes.find((x) => x.name === n) ?? assert.fail(n);

// Golden files for the KUBERNETES fixture (UPDATE_GOLDEN=1 regenerates them).
describe('golden: a Kubernetes inventory', () => goldenRenderTests(inv, GOLDEN));

describe('what each role gets', () => {
  const units = (n: string) => nodeUnits(byName(n), inv).map((u) => `${u.name}${u.contents === undefined ? '' : ' (whole)'}`);
  const files = (n: string) => (JSON.parse(renderNode(byName(n), inv, 'ignition', new Map()).text) as { storage: { files: { path: string }[] } }).storage.files.map((f) => f.path);
  test('master: kube-apiserver and the kubelet, written whole, after etcd-member and flanneld; all enabled', () => {
    assert.deepEqual(units('m1'), ['etcd-member.service', 'flanneld.service', 'kube-apiserver.service (whole)', 'kubelet.service (whole)']);
    assert.ok(nodeUnits(byName('m1'), inv).every((u) => u.enabled));
  });
  test('worker: the kubelet only', () => {
    assert.deepEqual(units('w1'), ['flanneld.service', 'kubelet.service (whole)']);
  });
  test('files: the kubelet kubeconfig and flannel CNI config on masters and workers', () => {
    for (const n of ['m1', 'w1']) assert.deepEqual(files(n).slice(0, 3), ['/etc/hostname', '/etc/kubernetes/kubelet.kubeconfig', '/etc/cni/net.d/10-flannel.conflist']);
    assert.deepEqual(files('w2'), ['/etc/hostname', '/etc/kubernetes/kubelet.kubeconfig', '/etc/cni/net.d/10-flannel.conflist']);
  });
  test('an etcd-only node gets no Kubernetes unit or file', () => {
    const e = inventoryOf(KUBERNETES.replace('    roles: [worker]\n    network: { interface: host0, address: 198.18.1.12/16', '    roles: [etcd]\n    network: { interface: host0, address: 198.18.1.12/16'));
    const node = e.nodes[1] ?? assert.fail();
    assert.deepEqual(nodeUnits(node, e).map((u) => u.name), ['etcd-member.service', 'flanneld.service']);
    assert.doesNotMatch(renderNode(node, e, 'ignition', new Map()).text, /kube/);
  });
  test('without flannel: no CNI config (another CNI writes its own)', () => {
    const noFlannel = inventoryOf(KUBERNETES.replace('  flannel:\n    network: 198.19.128.0/17\n', ''));
    assert.doesNotMatch(renderNode(noFlannel.nodes[1] ?? assert.fail(), noFlannel, 'ignition', new Map()).text, /10-flannel\.conflist/);
    assert.match(renderNode(noFlannel.nodes[1] ?? assert.fail(), noFlannel, 'ignition', new Map()).text, /kubelet\.service/);
  });
  test('an inventory without cluster.kubernetes renders no Kubernetes part (kubelet.service from services stays a bare enable)', () => {
    const plain = inventoryOf(THREE_ETCD);
    const kubelet = nodeUnits(plain.nodes[0] ?? assert.fail(), plain).find((u) => u.name === 'kubelet.service');
    assert.deepEqual(kubelet, { name: 'kubelet.service', enabled: true, dropins: [] });
  });
  test('kubelet.service listed in cluster.services too: one unit, the whole one', () => {
    const both = inventoryOf(KUBERNETES.replace('  kubernetes:\n', '  services:\n    worker: [kubelet.service]\n  kubernetes:\n'));
    const us = nodeUnits(both.nodes[1] ?? assert.fail(), both).filter((u) => u.name === 'kubelet.service');
    assert.equal(us.length, 1);
    assert.ok(us[0]?.contents?.includes('ExecStart=/opt/bin/kubelet'));
  });
  test('CLC: the whole units under systemd.units with contents, enabled', () => {
    const clc = readClc(renderNode(byName('m1'), inv, 'clc', new Map()).text) as { systemd: { units: { name: string; enabled?: boolean; contents?: string }[] } };
    const api = clc.systemd.units.find((u) => u.name === 'kube-apiserver.service') ?? assert.fail();
    assert.equal(api.enabled, true);
    assert.match(api.contents ?? '', /^ExecStart=\/opt\/bin\/kube-apiserver/m);
  });
});

describe('names, paths and the apiserver URL', () => {
  test('Node name: the inventory\'s, else the hostname lowercased', () => {
    assert.equal(kubeNodeName(byName('m1')), 'lab-master-1');
    assert.equal(kubeNodeName(byName('w1')), 'w1');
    assert.equal(kubeNodeName(byName('w2')), 'worker-two.lab.test');
  });
  test('pki files under pkiDir (default /etc/kubernetes/pki)', () => {
    assert.equal(pkiFile(inv, 'ca.crt'), '/etc/kubernetes/pki/ca.crt');
    const custom = inventoryOf(KUBERNETES.replace('  kubernetes:\n', '  kubernetes:\n    pkiDir: /etc/kubernetes/ssl\n'));
    assert.equal(pkiFile(custom, 'ca.crt'), '/etc/kubernetes/ssl/ca.crt');
  });
  test('the apiserver URL is the first master\'s address, port 6443', () => {
    assert.equal(apiServerUrl(inv), 'https://198.18.1.11:6443');
  });
  test('an inventory value in a flag stays one word of ExecStart', () => {
    const inv = inventoryOf(KUBERNETES.replace('    endpoints: [http://198.18.1.11:2379]', '    endpoints: [http://198.18.1.11:2379]\n    caFile: "/etc/ssl/$(id) %n.pem"'));
    const text = apiServerUnit(inv.nodes[0] ?? assert.fail(), inv).contents ?? '';
    assert.ok(text.includes('"--etcd-cafile=/etc/ssl/$$(id) %%n.pem" \\\n'), text);
  });
});
