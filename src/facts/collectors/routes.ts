// routes: the main routing table.
import type { SectionCollector } from '../collector.js';
import { parseRoutesJson, parseRoutesText } from '../parse/routes.js';
import type { RouteFact } from '../values.js';
import { KiB, sniff } from './kit.js';

export const routes: SectionCollector<'routes', RouteFact[]> = {
  fact: 'routes',
  section: {
    name: 'routes',
    budget: 512 * KiB, // ~100 bytes a route
    // iproute2 4.13–4.16 accepts -j for routes but prints text anyway; the parser sniffs.
    attempts: [
      { fmt: 'json', cmd: 'ip_json route' },
      { fmt: 'json', cmd: 'ip -j route show' },
      { fmt: 'text', cmd: 'ip route show' },
    ],
  },
  // Old `ip -j route` exits 0 and prints text: sniff rather than trust fmt.
  read: sniff(parseRoutesJson, parseRoutesText),
};
