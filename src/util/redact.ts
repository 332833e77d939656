// Secrets a node shows clusterctl (flanneld's FLANNELD_ETCD_PASSWORD, a --token flag) are hidden
// before anything is printed: the value of every variable, flag or key whose name says
// PASSWORD, PASSWD, TOKEN, SECRET, CREDENTIAL or PRIVATE. A name that ends in FILE, PATH or DIR
// names where a secret is (FLANNELD_ETCD_KEYFILE, --token-auth-file): its value stays. Pure.

export const REDACTED = '<redacted>';

const SECRET_WORD = /PASSWORD|PASSWD|TOKEN|SECRET|CREDENTIAL|PRIVATE/;
const A_PATH = /(FILES?|PATHS?|DIRS?|DIRECTORY)$/;
// Cheap test first: most text (addresses, unit states) holds no such word.
const MAY_HOLD = /passw|token|secret|credential|private/i;

// FLANNELD_ETCD_PASSWORD, etcd-password, etcdPassword: one spelling, then the words.
export function isSecretName(name: string): boolean {
  const n = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/_+$/, '');
  return SECRET_WORD.test(n) && !A_PATH.test(n);
}

// A value in running text: quoted (to its closing quote, or the line's end) or one word.
const VALUE = String.raw`(?:"(?:[^"\\\n]|\\.)*"?|'[^'\n]*'?|[^\s]+)`;
const NAME = String.raw`[A-Za-z_][A-Za-z0-9_.-]*`;
// Each form a secret takes in text, longest first. Groups: 1 what stays before, 2 the name, 3
// between name and value, 4 the value.
const FORMS: RegExp[] = [
  // A line that is one assignment, one flag or one key (an environment file, an argument, YAML):
  // the value runs to the line's end.
  new RegExp(String.raw`^(\s*(?:export\s+)?-{0,2})(${NAME})(\s*[=:][ \t]*)(?=\S)(.+)$`, 'gm'),
  // Inside a quoted assignment ("NAME=value with spaces"): to the closing quote.
  new RegExp(String.raw`(["'])(${NAME})(=)((?:(?!\1)[^\n])*)`, 'g'),
  // --name=value, --name value, NAME=value, "name": value within a line.
  new RegExp(String.raw`((?:^|[\s=,{])-{1,2})(${NAME})(=|[ \t]+(?!-))(${VALUE})`, 'gm'),
  new RegExp(String.raw`((?:^|[\s=,{]))(${NAME})(=)(${VALUE})`, 'gm'),
  new RegExp(String.raw`((?:^|[\s,{])")(${NAME})("\s*:\s*)(${VALUE})`, 'gm'),
];

// The text with the value of every secret it names replaced by REDACTED.
export function redactText(text: string): string {
  if (!MAY_HOLD.test(text)) return text;
  return FORMS.reduce(redactForm, text);
}

// One form: a match whose name is no secret is looked into again after its name, so that
// Environment=FLANNELD_ETCD_PASSWORD=… finds the variable inside the value of Environment.
function redactForm(text: string, form: RegExp): string {
  let out = '';
  let done = 0;
  form.lastIndex = 0;
  for (let m = form.exec(text); m; m = form.exec(text)) {
    const [all, before = '', name = '', between = ''] = m;
    if (isSecretName(name)) {
      out += `${text.slice(done, m.index)}${before}${name}${between}${REDACTED}`;
      done = form.lastIndex = m.index + all.length;
    } else form.lastIndex = m.index + before.length + name.length;
  }
  return out + text.slice(done);
}

// A command line: each argument as text, and the argument after a bare secret flag (--token T).
export function redactArgv(argv: readonly string[]): string[] {
  return argv.map((a, i) => {
    const flag = /^-{1,2}([^=\s]+)$/.exec(argv[i - 1] ?? '');
    return i > 0 && flag && isSecretName(flag[1] ?? '') && !a.startsWith('-') ? REDACTED : redactText(a);
  });
}

const isPlain = (v: object): boolean => Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null;

// Any JSON-like value, its shape kept: every string redacted as text, every list of strings as a
// command line, every string under a secret key replaced. Other objects (Date) stay as they are.
export function redactDeep<T>(value: T): T {
  return walk(value) as T;
}

function walk(v: unknown): unknown {
  if (typeof v === 'string') return redactText(v);
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? redactArgv(v as string[]) : v.map(walk);
  if (typeof v !== 'object' || v === null || !isPlain(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' && isSecretName(k) ? REDACTED : walk(x)]));
}

// A sha256 as verify prints it: the first 12 hex digits, enough to tell two files apart.
export const shortHash = (sha: string): string => `${sha.slice(0, 12)}…`;
