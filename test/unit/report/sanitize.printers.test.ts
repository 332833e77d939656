import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { CheckResult } from '../../../src/checks/types.js';
import { flannelGetCommand, flannelSetCommand } from '../../../src/commands/flannel.js';
import { InventoryError, UserError } from '../../../src/errors.js';
import { etcdctlCommand } from '../../../src/etcdctl/client.js';
import { PROBE } from '../../../src/facts/probe.js';
import type { NodeSpec } from '../../../src/inventory/types.js';
import type { Io } from '../../../src/io.js';
import { humanPrinter } from '../../../src/report/human.js';
import { formatLint } from '../../../src/report/lint.js';
import { formatCtCommands, formatKeylessNote, formatRefusal, formatWritten } from '../../../src/report/render.js';
import { noticeTo, userErrorText } from '../../../src/report/notice.js';
import { printSmokeHuman } from '../../../src/report/smoke.js';
import { unsanitize } from '../../../src/report/sanitize.js';
import { attemptLine, outcomeLine } from '../../../src/report/wait.js';
import { buildReport } from '../../../src/run/results.js';
import type { NodeReport } from '../../../src/run/results.js';
import { SMOKE_STEPS } from '../../../src/smoke/steps.js';
import type { SmokeNodeResult } from '../../../src/smoke/node.js';
import { node } from '../../fixtures/facts/builders.js';
import { fakeTransport, probeOutput } from '../../helpers/fake-transport.js';
import { forbiddenIn, hostileText } from '../../helpers/hostile-text.js';

// Every human printer is fed arbitrary node- and inventory-supplied text; what reaches the
// terminal may hold no control character but clusterctl's own styling: chalk's SGR colours and,
// for the live tree, its cursor moves (up to the live area's first row, erase to the end).
const SGR = /\x1b\[[0-9;]*m/g;
const TREE = /\x1b\[[0-9;]*m|\x1b\[\d+A\x1b\[J/g;

// Each value ends in one character no allowlist covers, so a value that skipped the sanitizer is
// always caught, whatever else the generator put in it.
const text = fc.tuple(hostileText, fc.constantFrom('\x07', '\r', '\x1b]0;x\x07', '\u202e', '\x9b', '\x00')).map(([s, end]) => s + end);

function capture(tty: boolean, env: NodeJS.ProcessEnv = {}): { io: Io; out: () => string } {
  let out = '';
  const sink = () => new Writable({ write: (c: Buffer | string, _e, cb) => ((out += c.toString()), cb()) });
  const stdout = Object.assign(sink(), tty ? { isTTY: true, columns: 120, rows: 40 } : {});
  return { io: { stdout, stderr: sink(), env, signal: new AbortController().signal }, out: () => out };
}

const noProblem = (out: string, allow: RegExp) => {
  const bad = forbiddenIn(out, allow);
  assert.equal(bad, null, bad ? `control character ${bad.char} reached the terminal near ${bad.around}` : '');
};

const STATUSES = ['pass', 'fail', 'skip', 'error'] as const;
const check = fc.record({ id: text, status: fc.constantFrom(...STATUSES), expected: fc.option(text), actual: fc.option(text), message: text });
const hostileNode = fc.record({ name: text, host: text, checks: fc.array(check, { minLength: 1, maxLength: 4 }) });

async function verifyOutput(n: { name: string; host: string; checks: CheckResult[] }, tty: boolean, env: NodeJS.ProcessEnv): Promise<string> {
  const spec: NodeSpec = node({ name: n.name, host: n.host });
  const r: NodeReport = { name: n.name, host: n.host, reachable: true, durationMs: 3, checks: n.checks };
  const { io, out } = capture(tty, env);
  const printer = humanPrinter([spec], io);
  printer.nodeStarted?.(n.name);
  printer.nodeFinished?.(r);
  printer.clusterFinished?.(new Map([[n.name, n.checks]]));
  printer.done(buildReport([r], 3));
  return out();
}

describe('no control byte from a node reaches the terminal (fast-check, every human printer)', () => {
  test('verify, plain lines, without and with colour', async () => {
    await fc.assert(
      fc.asyncProperty(hostileNode, async (n) => {
        noProblem(await verifyOutput(n, false, {}), /(?!)/g);
        noProblem(await verifyOutput(n, false, { FORCE_COLOR: '1' }), SGR);
      }),
      { numRuns: 200 },
    );
  });

  test('verify, the live tree on a terminal', async () => {
    await fc.assert(
      fc.asyncProperty(hostileNode, async (n) => {
        const out = await verifyOutput(n, true, { FORCE_COLOR: '1' });
        assert.match(out, /OK\x1b\[39m: 1 node/, 'the tree ran to the end');
        noProblem(out, TREE);
      }),
      { numRuns: 40 },
    );
  });

  const step = fc.record({ step: fc.constantFrom(...SMOKE_STEPS), status: fc.constantFrom(...STATUSES), durationMs: fc.nat(), message: text });
  const smokeNode = fc.record({ name: text, host: text, apiNote: text, cleanup: text, error: fc.option(text, { nil: undefined }), cleanedUp: fc.boolean(), steps: fc.array(step, { maxLength: 3 }) });

  test('smoke-etcd, plain lines and the live tree', async () => {
    await fc.assert(
      fc.asyncProperty(smokeNode, fc.boolean(), async (s, tty) => {
        const r: SmokeNodeResult = { ...s, api: 'v3', durationMs: 1, ...(s.error === undefined ? {} : { error: s.error }) };
        const { io, out } = capture(tty, { FORCE_COLOR: '1' });
        await printSmokeHuman([node({ name: s.name, host: s.host })], async (hooks) => {
          for (const st of r.steps) hooks.onStep?.(r.name, st);
          hooks.onNode?.(r);
          return { ok: false, durationMs: 1, nodes: [r] };
        }, io);
        noProblem(out(), tty ? TREE : SGR);
      }),
      { numRuns: 60 },
    );
  });

  test('verify --wait progress lines', () => {
    fc.assert(
      fc.property(fc.array(hostileNode, { minLength: 1, maxLength: 7 }), fc.boolean(), (ns, converged) => {
        const nodes = ns.map((n) => ({ name: n.name, host: n.host, reachable: true, durationMs: 1, checks: n.checks.map((c) => ({ ...c, status: 'fail' as const })) }));
        const result = buildReport(nodes, 1);
        noProblem(attemptLine({ attempt: 2, result, done: false, nextInMs: 1000, leftMs: 5000 }, 60_000), /(?!)/g);
        noProblem(attemptLine({ attempt: 3, result, done: false, nextInMs: null, leftMs: 0 }, 60_000), /(?!)/g);
        noProblem(outcomeLine({ result, attempts: 3, converged }, 60_000), /(?!)/g);
      }),
      { numRuns: 200 },
    );
  });

  test('lint', () => {
    const problem = fc.record({ path: text, line: fc.option(fc.nat(), { nil: undefined }), message: text });
    fc.assert(
      fc.property(text, fc.array(problem, { maxLength: 4 }), (file, problems) => {
        const ps = problems.map((p) => ({ path: p.path, message: p.message, ...(p.line === undefined ? {} : { line: p.line }) }));
        noProblem(formatLint(file, '/abs', ps, false), /(?!)/g);
      }),
      { numRuns: 200 },
    );
  });

  test('render', () => {
    const problem = fc.record({ path: text, message: text });
    fc.assert(
      fc.property(text, text, fc.array(problem, { maxLength: 3 }), (a, b, problems) => {
        noProblem(formatRefusal(a, 'cannot be rendered', problems), /(?!)/g);
        noProblem(formatWritten([a, b]), /(?!)/g);
        noProblem(formatCtCommands([{ clc: a, ign: b }]), /(?!)/g);
        noProblem(formatKeylessNote(a, b), /(?!)/g);
      }),
      { numRuns: 200 },
    );
  });

  test('user errors main.ts prints, and transport notices', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        noProblem(userErrorText(new UserError(`cannot connect to ${a}: ${b}`)), /(?!)/g);
        noProblem(userErrorText(new InventoryError(a, [{ path: `nodes[0].${b}`, line: 3, message: a }])), /(?!)/g);
        const { io, out } = capture(false);
        noticeTo(io)(`added the host key of ${a} to ${b}`);
        noProblem(out(), /(?!)/g);
      }),
      { numRuns: 200 },
    );
  });

  // flannel get and set print etcd's values and etcdctl's errors as they come from the node.
  const KEY = '/coreos.com/network/config';
  const T = 5000;
  const access = { endpoints: ['http://127.0.0.1:2379'] };
  const v2get = etcdctlCommand(access, 'v2', ['get', '--', KEY], T);
  const v3get = etcdctlCommand(access, 'v3', ['-w', 'json', 'get', '--', KEY], T);
  const dir = mkdtempSync(join(tmpdir(), 'hostile-flannel-'));
  const inventory = join(dir, 'inventory.yaml');
  writeFileSync(inventory, 'cluster:\n  flannel: { network: 10.1.0.0/16 }\nnodes:\n  - { name: e1, host: 198.18.1.11, roles: [etcd] }\n');
  const opts = { inventory, connectTimeoutMs: T, commandTimeoutMs: T };

  test('flannel get: a hostile value, and a hostile etcdctl error', async () => {
    await fc.assert(
      fc.asyncProperty(text, text, async (value, error) => {
        const v3 = JSON.stringify({ header: { revision: 1 }, kvs: [{ key: Buffer.from(KEY).toString('base64'), value: Buffer.from(value).toString('base64') }], count: 1 });
        const found = capture(false);
        await flannelGetCommand(opts, found.io, async () => fakeTransport({ [PROBE]: { stdout: probeOutput({}) }, [v2get]: { stdout: `${value}\n` }, [v3get]: { stdout: v3 } }));
        noProblem(found.out(), /(?!)/g);
        // Only the value itself may span lines: everything in it decodes back to the value.
        assert.ok(unsanitize(found.out()).includes(value.replace(/\n+$/, '')));
        const failed = capture(false);
        await flannelGetCommand(opts, failed.io, async () => fakeTransport({ [PROBE]: { stdout: probeOutput({}) }, [v2get]: { stderr: error, code: 1 }, [v3get]: { stderr: error, code: 1 } }));
        noProblem(failed.out(), /(?!)/g);
      }),
      { numRuns: 60 },
    );
  });

  test('flannel set: a hostile old value, and a node whose probe fails with hostile text', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (junk) => {
        const probe = fakeTransport({ [PROBE]: { stderr: junk, code: 2 } });
        const refused = capture(false);
        await flannelSetCommand({ ...opts, network: '10.1.0.0/16', dryRun: true }, refused.io, async () => probe);
        assert.match(refused.out(), /^refused: /);
        noProblem(refused.out(), /(?!)/g);
        const probed = probeOutput({
          addresses: { fmt: 'json', body: JSON.stringify([{ ifname: 'eth0', addr_info: [{ family: 'inet', local: '198.18.1.11', prefixlen: 24 }] }]) },
          routes: { fmt: 'json', body: JSON.stringify([{ dst: 'default', gateway: '198.18.1.1', dev: 'eth0' }]) },
        });
        const dry = capture(false);
        await flannelSetCommand({ ...opts, network: '10.1.0.0/16', dryRun: true }, dry.io, async () =>
          fakeTransport({ [PROBE]: { stdout: probed }, [v2get]: { stdout: `${junk}\n` }, [v3get]: { stderr: junk, code: 1 } }),
        );
        assert.match(dry.out(), /dry run: nothing was written/);
        noProblem(dry.out(), /(?!)/g);
      }),
      { numRuns: 60 },
    );
  });
});
