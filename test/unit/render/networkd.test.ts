import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { staticNetwork } from '../../../src/render/networkd.js';
import { network } from '../../fixtures/facts/builders.js';

describe('staticNetwork', () => {
  test('the setup guide\'s unit: [Match], [Network] with DNS in order, one [Route] per route', () => {
    const unit = staticNetwork(
      network({
        interface: 'eth0',
        address: '198.18.1.10/24',
        gateway: '198.18.1.1',
        dns: ['198.18.0.2', '198.18.0.1'],
        routes: [
          { destination: '198.19.45.0/24', gateway: '198.18.1.124' },
          { destination: '198.19.46.0/24', gateway: '198.18.1.125' },
        ],
      }),
    );
    assert.equal(unit.name, '10-static.network');
    assert.equal(
      unit.contents,
      [
        '[Match]',
        'Name=eth0',
        '',
        '[Network]',
        'Address=198.18.1.10/24',
        'Gateway=198.18.1.1',
        'DNS=198.18.0.2',
        'DNS=198.18.0.1',
        'IPv6AcceptRA=no',
        '',
        '[Route]',
        'Gateway=198.18.1.124',
        'Destination=198.19.45.0/24',
        '',
        '[Route]',
        'Gateway=198.18.1.125',
        'Destination=198.19.46.0/24',
        '',
      ].join('\n'),
    );
  });
  test('no gateway, no DNS, no routes: just the address (and no waiting for IPv6 routers)', () => {
    assert.equal(staticNetwork(network({ gateway: undefined, dns: [], routes: [] })).contents, '[Match]\nName=eth0\n\n[Network]\nAddress=198.18.1.11/24\nIPv6AcceptRA=no\n');
  });
  test('network.ipv6AcceptRA: true keeps router advertisements', () => {
    assert.match(staticNetwork(network({ ipv6AcceptRA: true })).contents, /^IPv6AcceptRA=yes$/m);
    assert.doesNotMatch(staticNetwork(network({ ipv6AcceptRA: true })).contents, /IPv6AcceptRA=no/);
  });
});
