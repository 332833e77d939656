// The probe's `units.failed` section: for each failed service (at most a few), a line
// "unit NAME" and then its last journal lines, each prefixed "| " by the probe so that no log
// line can pass for a probe marker. Lines are already cut short on the node.
export function parseFailedJournal(body: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let current: string[] | undefined;
  for (const line of body.split('\n')) {
    const unit = /^unit (\S+\.service)$/.exec(line);
    if (unit) {
      current = [];
      out[unit[1] ?? ''] = current;
      continue;
    }
    if (line.startsWith('| ') || line === '|') current?.push(line.slice(2).trimEnd());
  }
  return out;
}
