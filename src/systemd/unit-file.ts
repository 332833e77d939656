// A unit with its drop-ins as `systemctl cat UNIT` prints it: each file under a "# /path" line.
// The probe's fallback where systemctl cannot run prints the files the same way, so one reader
// serves both. Pure: node output is data, read line by line, never evaluated.
// The shape every parser returns (facts/parse/common.ts has the same): a value, or why not.
type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(error: string): Parsed<T> => ({ ok: false, error });

export interface UnitEntry {
  section: string; // Service, Unit …
  key: string; // Environment, ExecStartPre …
  value: string; // continuation lines joined with a space, as systemd does
}

export interface UnitFile {
  path: string; // /etc/systemd/system/flanneld.service.d/50-network-config.conf
  entries: UnitEntry[];
  // Not a unit file but a file an EnvironmentFile= names, as the node has it: its variables, or
  // null where it does not exist (systemd skips a "-" one). The unit's own files have none.
  environment?: Record<string, string> | null;
}

const HEADER = /^# (\/\S+\.(?:service|conf))$/;

// `systemctl cat` output → the files in the order systemd applies them. Text before the first
// header (warnings such as "# Warning: … changed on disk") is ignored.
export function parseSystemctlCat(body: string): Parsed<UnitFile[]> {
  const files: UnitFile[] = [];
  let file: UnitFile | undefined;
  let section = '';
  let pending: string | undefined; // a key=value line continued with a trailing backslash
  const finish = (line: string) => {
    const eq = line.indexOf('=');
    if (!file || eq <= 0) return;
    file.entries.push({ section, key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() });
  };
  for (const raw of body.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const header = HEADER.exec(line);
    if (header && pending === undefined) {
      file = { path: header[1] ?? '', entries: [] };
      files.push(file);
      section = '';
      continue;
    }
    const t = line.trim();
    // systemd skips comment lines inside a continued value, too.
    if (t.startsWith('#') || t.startsWith(';')) continue;
    if (pending !== undefined) {
      if (t.endsWith('\\')) pending += ` ${t.slice(0, -1).trim()}`;
      else {
        finish(`${pending} ${t}`.trim());
        pending = undefined;
      }
      continue;
    }
    if (t === '') continue;
    const sec = /^\[([^\]]+)\]$/.exec(t);
    if (sec) {
      section = sec[1] ?? '';
      continue;
    }
    if (t.endsWith('\\')) pending = t.slice(0, -1).trim();
    else finish(t);
  }
  if (pending !== undefined) finish(pending);
  if (files.length === 0) return bad(`no "# /path" file header in the output${body.trim() ? `: ${body.trim().split('\n')[0]?.slice(0, 80)}` : ''}`);
  return ok(orderUnitFiles(files));
}

// Where a file sits in systemd's precedence: /etc beats /run beats the vendor directories.
const RANK = ['/etc/systemd/system/', '/run/systemd/system/', '/usr/local/lib/systemd/system/', '/usr/lib/systemd/system/', '/lib/systemd/system/'];
const rank = (path: string) => {
  const i = RANK.findIndex((d) => path.startsWith(d));
  return i < 0 ? RANK.length : i;
};
const base = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const isDropIn = (path: string) => /\.d\/[^/]+\.conf$/.test(path);

// The unit file that wins, then its drop-ins by file name (systemd applies them in that order
// whatever their directory; of two drop-ins with one name, only the higher-ranked directory's
// counts). `systemctl cat` already prints this order; the file fallback lists by directory.
export function orderUnitFiles(files: readonly UnitFile[]): UnitFile[] {
  const units = files.filter((f) => !isDropIn(f.path)).sort((a, b) => rank(a.path) - rank(b.path));
  const dropins = new Map<string, UnitFile>();
  for (const f of files.filter((x) => isDropIn(x.path))) {
    const have = dropins.get(base(f.path));
    if (!have || rank(f.path) < rank(have.path)) dropins.set(base(f.path), f);
  }
  const sorted = [...dropins.values()].sort((a, b) => (base(a.path) < base(b.path) ? -1 : base(a.path) > base(b.path) ? 1 : 0));
  return [...units.slice(0, 1), ...sorted];
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", ' ': ' ', s: ' ' };

// One systemd command line or Environment= value split into words: "…" and '…' quote, a
// backslash escapes (C style), whitespace separates. `$NAME` / `${NAME}` are kept as they are
// (expandWords does that with an environment). Never throws; an unclosed quote ends the word.
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      const n = text[++i] as string;
      cur += ESCAPES[n] ?? n;
      inWord = true;
    } else if (quote) {
      if (c === quote) quote = null;
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

// systemd's variable expansion in Exec lines: a word that is exactly `$NAME` becomes that
// variable's value split at whitespace (several words, or none); `${NAME}` inside a word is
// replaced in place. Unknown variables are empty, as in systemd.
export function expandWords(words: readonly string[], env: Readonly<Record<string, string>>): string[] {
  return words.flatMap((w) => {
    const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(w);
    if (whole) return (env[whole[1] ?? ''] ?? '').split(/\s+/).filter(Boolean);
    return [w.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => env[name] ?? '')];
  });
}

// An environment file as systemd reads it: KEY=VALUE lines; blank lines and lines starting with
// # or ; are skipped; a value in matching single or double quotes loses them (\" and \\ inside
// double quotes are unescaped); a line ending in a backslash goes on. Lines without a valid name
// before "=" are ignored, as systemd ignores them (with a warning).
export function parseEnvironmentFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = pending + raw.replace(/\r$/, '');
    if (line.endsWith('\\')) {
      pending = line.slice(0, -1);
      continue;
    }
    pending = '';
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const eq = t.indexOf('=');
    const key = t.slice(0, eq).trim();
    if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) continue;
    let value = t.slice(eq + 1).trim();
    const q = value[0];
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\(["\\])/g, '$1');
    }
    vars[key] = value;
  }
  return vars;
}

// The probe's flannel.unit section: the unit's text ("| " before each line), then each file an
// EnvironmentFile= names, "environment-file PATH" and its text ("| " before each line) or
// "environment-file-missing PATH". Lines without "| " are the probe's own: no file can print one.
export function parseUnitWithEnvironment(body: string): Parsed<UnitFile[]> {
  const unit: string[] = [];
  const envs: { path: string; lines: string[] | null }[] = [];
  let current: string[] | undefined = unit;
  for (const line of body.split('\n')) {
    const file = /^environment-file (\/.*)$/.exec(line);
    const missing = /^environment-file-missing (\/.*)$/.exec(line);
    if (file) envs.push({ path: file[1] ?? '', lines: (current = []) });
    else if (missing) envs.push({ path: missing[1] ?? '', lines: null }), (current = undefined);
    else if (line.startsWith('| ') || line === '|') current?.push(line === '|' ? '' : line.slice(2));
    else if (current === unit) unit.push(line);
  }
  const files = parseSystemctlCat(unit.join('\n'));
  if (!files.ok) return files;
  return ok([...files.value, ...envs.map((e) => ({ path: e.path, entries: [], environment: e.lines ? parseEnvironmentFile(e.lines.join('\n')) : null }))]);
}
