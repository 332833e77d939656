// A systemd service unit as systemd merges its file and drop-ins: the environment, the exec lines,
// the environment files it names. Pure: reads parsed unit files (unit-file.ts).
import { expandWords, splitWords } from './unit-file.js';
import type { UnitFile } from './unit-file.js';

export interface ExecLine {
  file: string; // the unit file or drop-in that holds the line
  argv: string[]; // words after systemd's unquoting; $VARs expanded with the unit's environment
  ignoreFailure: boolean; // "-" prefix: a failure does not stop the unit
}

export interface ServiceUnit {
  files: string[]; // in the order systemd applies them
  env: Record<string, string>; // Environment= after every file, then the EnvironmentFile= files read from the node
  envFile: Record<string, string>; // variable → the file that set it last
  environmentFiles: string[]; // EnvironmentFile= paths
  unreadEnvironmentFiles: string[]; // those whose content is not known here (not read from the node, or missing there)
  execStart: ExecLine | null;
  execStartPre: ExecLine[];
}

// Exec prefixes: "-" ignores failure; "@", "+", "!", ":" change how it runs, not what.
function execLine(file: string, value: string, env: Record<string, string>): ExecLine | null {
  const m = /^([-@+!:]*)(.*)$/s.exec(value.trim());
  const prefix = m?.[1] ?? '';
  const argv = expandWords(splitWords(m?.[2] ?? ''), env);
  return argv.length ? { file, argv, ignoreFailure: prefix.includes('-') } : null;
}

// systemd's merge: later files add to lists; an empty assignment resets the list (Environment=,
// ExecStartPre=, ExecStart=). Exec lines are expanded with the final environment, as at start.
// The environment files (UnitFile.environment) come last, in EnvironmentFile= order, and override
// Environment=, as systemd applies them at start.
export function readServiceUnit(all: readonly UnitFile[]): ServiceUnit {
  const files = all.filter((f) => f.environment === undefined);
  const env: Record<string, string> = {};
  const envFile: Record<string, string> = {};
  const environmentFiles: string[] = [];
  let start: { file: string; value: string } | null = null;
  let pre: { file: string; value: string }[] = [];
  for (const f of files) {
    for (const e of f.entries) {
      if (e.section !== 'Service') continue;
      if (e.key === 'Environment') {
        if (e.value === '') for (const k of Object.keys(env)) delete env[k];
        for (const word of splitWords(e.value)) {
          const eq = word.indexOf('=');
          if (eq <= 0) continue;
          env[word.slice(0, eq)] = word.slice(eq + 1);
          envFile[word.slice(0, eq)] = f.path;
        }
      } else if (e.key === 'EnvironmentFile') {
        if (e.value === '') environmentFiles.length = 0;
        else environmentFiles.push(e.value.replace(/^-/, ''));
      } else if (e.key === 'ExecStart') start = e.value === '' ? null : { file: f.path, value: e.value };
      else if (e.key === 'ExecStartPre') pre = e.value === '' ? [] : [...pre, { file: f.path, value: e.value }];
    }
  }
  const unreadEnvironmentFiles: string[] = [];
  for (const path of environmentFiles) {
    const vars = all.find((f) => f.path === path && f.environment !== undefined)?.environment;
    if (!vars) {
      unreadEnvironmentFiles.push(path);
      continue;
    }
    for (const [k, v] of Object.entries(vars)) (env[k] = v), (envFile[k] = path);
  }
  return {
    files: files.map((f) => f.path),
    env,
    envFile,
    environmentFiles,
    unreadEnvironmentFiles,
    execStart: start ? execLine(start.file, start.value, env) : null,
    execStartPre: pre.map((p) => execLine(p.file, p.value, env)).filter((x): x is ExecLine => x !== null),
  };
}
