// The probe before one framing (bench/old-probe.ts, the baseline the probe is compared with)
// printed `@@clusterctl:begin NAME`, raw text, `@@clusterctl:end NAME rc=N …`, `@@clusterctl:done`.
// Its reply in today's framing (TEST_NONCE), so today's readers can compare the two.
import { framePart } from '../../src/util/frames.js';
import { TEST_NONCE } from './nonce.js';

const BEGIN = /^@@clusterctl:begin ([a-z][a-z0-9.-]*)$/;
const END = /^@@clusterctl:end ([a-z][a-z0-9.-]*) rc=(\d+)(.*)$/;

export function oldProbeReply(stdout: string): string {
  let out = '';
  let open: { name: string; lines: string[] } | null = null;
  for (const raw of stdout.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const begin = BEGIN.exec(line);
    const end = END.exec(line);
    if (begin) open = { name: begin[1] ?? '', lines: [] };
    else if (end && open && end[1] === open.name) {
      out += framePart(TEST_NONCE, open.name, Number(end[2]), open.lines.join('\n'), end[3]);
      open = null;
    } else if (line === '@@clusterctl:done') out += framePart(TEST_NONCE, 'done', 0, '');
    else open?.lines.push(line);
  }
  return out;
}
