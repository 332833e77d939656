// addresses: every interface's addresses, `ip -j addr` (or its text where iproute2 is older).
import type { SectionCollector } from '../collector.js';
import { parseAddressesJson, parseAddressesText } from '../parse/addresses.js';
import type { AddressFact } from '../values.js';
import { MiB, sniff } from './kit.js';

export const addresses: SectionCollector<'addresses', AddressFact[]> = {
  fact: 'addresses',
  section: {
    name: 'addresses',
    budget: MiB, // `ip -j` grows with the interfaces: ~1 KiB each, so room for ~1000
    // iproute2 older than 4.13 has no -j and exits 255 ("Option "-j" is unknown").
    attempts: [
      { fmt: 'json', cmd: 'ip_json addr' },
      { fmt: 'json', cmd: 'ip -j addr show' },
      { fmt: 'text', cmd: 'ip -o addr show' },
    ],
  },
  read: sniff(parseAddressesJson, parseAddressesText),
};
