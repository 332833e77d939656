// Problems before they get a line number: rules and schema checks speak in field paths only,
// load.ts looks the line up in the YAML document.

export type FieldPath = readonly (string | number)[];

export interface RawProblem {
  path: FieldPath;
  message: string;
}

// ['nodes', 2, 'network', 'address'] → "nodes[2].network.address"
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

// ['nodes', 2, 'network'] → "nodes.network", the key of KNOWN_KEYS.
export function shapeKey(path: FieldPath): string {
  return path.filter((s) => typeof s === 'string').join('.');
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

// The known key a misspelt one most likely meant, if any is close enough to be a typo
// (case-insensitively, within a third of its length, at most 3 edits).
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(unknown.length / 3)));
  let best: { key: string; d: number } | undefined;
  for (const key of known) {
    const d = editDistance(lower, key.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { key, d };
  }
  return best?.key;
}
