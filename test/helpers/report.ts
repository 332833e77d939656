import assert from 'node:assert/strict';
import { runCli } from './cli.js';
import { LAB_INVENTORY } from './lab.js';

// `clusterctl verify --json` as printed (docs/commands.md "JSON output"; src/report/json.ts), for tests
// that read the CLI's stdout rather than call the engine.
export interface JsonCheck {
  id: string;
  status: string;
  expected: string | null;
  actual: string | null;
  message: string;
}
export interface JsonReport {
  ok: boolean;
  durationMs: number;
  summary: Record<string, number>;
  attempts?: number; // --wait only
  nodes: { name: string; host: string; reachable: boolean; checks: JsonCheck[] }[];
}

export interface VerifyRun {
  code: number | null;
  report: JsonReport;
  stderr: string;
  ms: number;
}

// `verify -i INVENTORY --json ARGS…` under real Node (the lab's inventory unless told), its
// report parsed; no JSON on stdout fails the test with the exit code and stderr.
export async function verifyJson(args: string[] = [], opts: { inventory?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<VerifyRun> {
  const r = await runCli(['verify', '-i', opts.inventory ?? LAB_INVENTORY, '--json', ...args], {
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  let report: JsonReport;
  try {
    report = JSON.parse(r.stdout) as JsonReport;
  } catch {
    assert.fail(`no JSON report (exit ${r.code}): ${r.stderr}`);
  }
  return { code: r.code, report, stderr: r.stderr, ms: r.ms };
}
