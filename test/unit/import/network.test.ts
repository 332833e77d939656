import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readNetworkUnit } from '../../../src/import/network.js';

describe('readNetworkUnit', () => {
  test("the setup guide's unit: interface, address, gateway, DNS in order, each [Route]", () => {
    const text = '[Match]\nName=eth0\n\n[Network]\nAddress=192.168.1.10/24\nGateway=192.168.1.1\nDNS=192.168.1.2\nDNS=192.168.1.1\n\n[Route]\nGateway=192.168.1.124\nDestination=10.45.0.0/16\n\n[Route]\nDestination=10.46.0.0/16\nGateway=192.168.1.125\n';
    assert.deepEqual(readNetworkUnit('10-static.network', text), {
      kind: 'static',
      network: { interface: 'eth0', address: '192.168.1.10/24', gateway: '192.168.1.1', dns: ['192.168.1.2', '192.168.1.1'], routes: [{ destination: '10.45.0.0/16', gateway: '192.168.1.124' }, { destination: '10.46.0.0/16', gateway: '192.168.1.125' }] },
      notes: [],
    });
  });
  test('a [Route] with a Gateway= and no Destination= is the default gateway; DNS= lists split; [Address] sections count', () => {
    const r = readNetworkUnit('x.network', '[Match]\nName=ens3\n[Address]\nAddress=198.18.1.5/24\n[Network]\nDNS=198.18.0.1 198.18.0.2\n[Route]\nGateway=198.18.1.1\n[Route]\nDestination=198.19.0.0/16\n');
    assert.deepEqual(r.kind === 'static' && r.network, { interface: 'ens3', address: '198.18.1.5/24', gateway: '198.18.1.1', dns: ['198.18.0.1', '198.18.0.2'], routes: [] });
  });
  test('IPv6AcceptRA=yes is kept (render would otherwise write no); IPv6 addresses are not the inventory\'s', () => {
    const r = readNetworkUnit('x.network', '[Match]\nName=eth0\n[Network]\nAddress=fd00::5/64\nAddress=198.18.1.5/24\nAddress=198.18.2.5/24\nIPv6AcceptRA=yes\n');
    assert.equal(r.kind, 'static');
    if (r.kind !== 'static') return;
    assert.equal(r.network.address, '198.18.1.5/24');
    assert.equal(r.network.ipv6AcceptRA, true);
    assert.deepEqual(r.notes, ['x.network also gives 198.18.2.5/24; the inventory holds the first address only']);
  });
  test('DHCP, a pattern, a missing prefix, no [Match], empty', () => {
    assert.deepEqual(readNetworkUnit('d.network', '[Match]\nName=eth0\n[Network]\nDHCP=yes\n'), { kind: 'none', why: 'd.network has no static Address= (DHCP=yes)' });
    assert.match(JSON.stringify(readNetworkUnit('p.network', '[Match]\nName=en*\n[Network]\nAddress=198.18.1.5/24\n')), /matches en\*, a pattern or several names/);
    assert.match(JSON.stringify(readNetworkUnit('p.network', '[Match]\nName=eth0\n[Network]\nAddress=198.18.1.5\n')), /Address=198\.18\.1\.5 has no prefix length/);
    assert.match(JSON.stringify(readNetworkUnit('p.network', '[Network]\nAddress=198.18.1.5/24\n')), /no \[Match\] Name=/);
    assert.equal(readNetworkUnit('e.network', '  \n').kind, 'bad');
  });
});
