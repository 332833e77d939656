// Reports for the serve tests: nodes with check results, as a round hands them over.
import type { CheckResult, CheckStatus } from '../../../src/checks/types.js';
import { buildReport } from '../../../src/run/results.js';
import type { NodeReport, Report } from '../../../src/run/results.js';

export const r = (id: string, status: CheckStatus, message = `${id} ${status}`, actual: string | null = null): CheckResult => ({ id, status, expected: null, actual, message });

export function nodeReport(name: string, checks: CheckResult[], reachable = true): NodeReport {
  return { name, host: `198.18.1.${name.length}`, reachable, durationMs: 10, checks };
}

export const round = (...nodes: NodeReport[]): Report => buildReport(nodes, 1234);

export const healthy = (name: string): NodeReport =>
  nodeReport(name, [r('ssh', 'pass'), r('hostname', 'pass'), r('net.route', 'pass'), r('flannel.lease', 'pass', 'lease ok', 'FLANNEL_NETWORK=10.1.0.0/16 FLANNEL_SUBNET=10.1.7.1/24')]);
