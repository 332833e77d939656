// links: every link with its kind, `ip -d link`.
import type { SectionCollector } from '../collector.js';
import { parseLinksJson, parseLinksText } from '../parse/links.js';
import type { LinkFact } from '../values.js';
import { MiB, sniff } from './kit.js';

export const links: SectionCollector<'links', LinkFact[]> = {
  fact: 'links',
  section: {
    name: 'links',
    budget: MiB, // ~1.2 KiB a link with -d
    // -d adds the link kind (vxlan for flannel.1, tun for flannel0).
    attempts: [
      { fmt: 'json', cmd: 'ip_json link' },
      { fmt: 'json', cmd: 'ip -j -d link show' },
      { fmt: 'text', cmd: 'ip -d link show' },
    ],
  },
  read: sniff(parseLinksJson, parseLinksText),
};
