// The kube.* checks' evidence on a master or worker: what the probe found (the components'
// command lines, their units, the CNI config) decides what the node's batch asks: the kubelet's
// healthz, the apiserver's /livez and /readyz, the kubelet's --config and kubeconfig, and each
// certificate. Every path and URL comes from the node's own command lines or the inventory: they
// reach the shell only through shellQuote, and each item's output comes back as its own part
// `kube.NAME` (util/frames.ts).
import { certificatesToRead, flanneldKubeSubnetMgr, kubeconfigClientCert } from '../../kube/cert-paths.js';
import type { CertToRead } from '../../kube/cert-paths.js';
import { certCommand, healthCommand, isRootComponent, processGuard } from '../../kube/commands.js';
import type { CertEvidence, KubeNodeEvidence } from '../../kube/evidence.js';
import { apiserverBaseUrl, apiserverFlags, kubeletFlags, kubeletHealthzUrl, unitCommandLine } from '../../kube/flags.js';
import type { CommandLine } from '../../kube/flags.js';
import { parseCurlAnswer } from '../../kube/http-answer.js';
import { effectiveKubelet, parseKubeletConfig } from '../../kube/kubelet-config.js';
import { parseX509Text } from '../../kube/x509.js';
import type { NodeSpec } from '../../inventory/types.js';
import { partOf } from '../../util/frames.js';
import type { Parts } from '../../util/frames.js';
import { shellQuote } from '../../util/shell.js';
import { readFlanneldUnit } from '../parse/flanneld-unit.js';
import type { KubeProcess } from '../parse/kube.js';
import { absentFact, errorFact, okFact, valueOf } from '../../util/fact.js';
import type { Fact } from '../../util/fact.js';
import type { ProbeFacts } from '../collectors/sections.js';

const READ_LIMIT = 65536;

type Component = 'kubelet' | 'kube-apiserver';

// The component's process: a root one only (isRootComponent). Anyone's process may share its name;
// those are never read from, wherever they come in /proc.
export function componentProcess(facts: Pick<ProbeFacts, 'kubeProcs'>, component: Component): KubeProcess | undefined {
  return (valueOf(facts.kubeProcs) ?? []).find((p) => isRootComponent(p, component));
}

// The component's command line: what runs now (/proc/PID/cmdline), else what its unit starts.
export function commandLine(facts: Pick<ProbeFacts, 'kubeProcs' | 'kubeUnits'>, component: Component): Fact<CommandLine> {
  const running = componentProcess(facts, component);
  if (running) return okFact({ argv: running.argv, from: `/proc/${running.pid}/cmdline` });
  const unit = `${component}.service`;
  const text = valueOf(facts.kubeUnits)?.[unit];
  if (text !== undefined) return unitCommandLine(text, unit);
  if ('error' in facts.kubeProcs) return facts.kubeProcs;
  const others = (valueOf(facts.kubeProcs) ?? []).filter((p) => p.name === component || p.name === 'hyperkube');
  const ignored = others.length ? ` (ignored, not root: ${others.map((p) => `PID ${p.pid} uid ${p.uids?.[0] ?? '?'}`).join(', ')})` : '';
  return absentFact(`no root ${component} runs on the node${ignored}${'ok' in facts.kubeUnits ? `, and systemd has no ${unit} loaded` : ''}`);
}

interface Item {
  name: string;
  cmd: string;
}

export interface KubePlan {
  master: boolean;
  kubelet: Fact<CommandLine>;
  apiserver: Fact<CommandLine>;
  healthzUrl?: string;
  apiBase?: string;
  config?: string; // the kubelet's --config file
  kubeconfig?: string; // the kubelet's --kubeconfig file
  certs: CertToRead[];
  items: Item[];
  // The processes whose command lines chose what the items read, re-checked before they run.
  procs: { pid: number; name: string; component: Component }[];
  root: string; // 'sudo -n -- ' under become: sudo
}

export function planKube(node: NodeSpec, facts: Pick<ProbeFacts, 'kubeProcs' | 'kubeUnits'>): KubePlan {
  const master = node.roles.includes('master');
  const kubelet = commandLine(facts, 'kubelet');
  const apiserver = master ? commandLine(facts, 'kube-apiserver') : absentFact('not a master');
  const kflags = 'ok' in kubelet ? kubeletFlags(kubelet.ok.argv) : undefined;
  const aflags = 'ok' in apiserver ? apiserverFlags(apiserver.ok.argv) : undefined;
  const root = node.become === 'sudo' ? 'sudo -n -- ' : '';
  const plan: KubePlan = { master, kubelet, apiserver, certs: certificatesToRead(kflags, aflags), items: [], procs: [], root };
  for (const [component, used] of [['kubelet', kubelet], ['kube-apiserver', apiserver]] as const) {
    const p = 'ok' in used ? componentProcess(facts, component) : undefined;
    if (p) plan.procs.push({ pid: p.pid, name: p.name, component });
  }
  const target = kubeletHealthzUrl(kflags ?? {});
  if ('url' in target) {
    plan.healthzUrl = target.url;
    plan.items.push({ name: 'healthz', cmd: healthCommand(target.url) });
  }
  if (master) {
    plan.apiBase = apiserverBaseUrl(aflags);
    plan.items.push({ name: 'livez', cmd: healthCommand(`${plan.apiBase}/livez`) }, { name: 'readyz', cmd: healthCommand(`${plan.apiBase}/readyz`) });
  }
  if (kflags?.config) {
    plan.config = kflags.config;
    plan.items.push({ name: 'config', cmd: `${root}head -c ${READ_LIMIT} -- ${shellQuote(kflags.config)}` });
  }
  if (kflags?.kubeconfig) {
    plan.kubeconfig = kflags.kubeconfig;
    const kc = shellQuote(kflags.kubeconfig);
    plan.items.push({ name: 'kubeconfig', cmd: `${root}head -c ${READ_LIMIT} -- ${kc}` });
    // The client certificate it names, read in the same round trip: the path is the node's own
    // text, held in a variable, never shell code.
    plan.items.push({
      name: 'kubeconfig-cert',
      cmd: `p=$(${root}sed -n 's/^ *client-certificate: *//p' -- ${kc} | head -n 1 | tr -d '"\\r'\\'); [ -n "$p" ] || exit 3; case $p in /*) ;; *) p=$(dirname -- ${kc})/$p;; esac; ${root}openssl x509 -noout -enddate -subject -in "$p"`,
    });
  }
  plan.certs.forEach((c, i) => plan.items.push({ name: `cert${i}`, cmd: `${root}${certCommand(c.path)}` }));
  return plan;
}

// Each item in a subshell (an `exit` ends only it), its status taken before any pipe (dash has
// no pipefail), its output and errors bounded (a pipe through head only when over) and printed as
// part `kube.NAME`. Each command bounds what it reads itself (head -c, curl --max-time), so the
// variable stays small. When a process's command line chose them, a guard item first re-checks
// that process (processGuard), and the items run only if it passed. proc: where /proc is (a
// test's stand-in).
export function kubeScript(plan: KubePlan, proc = '/proc'): string {
  const item = (it: Item) => `o=$( (${it.cmd}) 2>&1 ); r=$?; [ \${#o} -le ${READ_LIMIT} ] || o=$(printf %s "$o" | head -c ${READ_LIMIT}); part kube.${it.name} $r "" "$o"`;
  const items = plan.items.map(item);
  if (!plan.procs.length || !items.length) return items.join('\n');
  const guard = plan.procs.map((p) => `{ ${processGuard(p, p.component, plan.root, proc)}; }`).join(' && ');
  return [item({ name: GUARD, cmd: guard }), 'if [ $r = 0 ]; then', ...items, 'fi'].join('\n');
}

const GUARD = 'process-check';

// Item name → its output and exit status.
function items(parts: Parts, plan: KubePlan): Map<string, { text: string; rc: number }> {
  const out = new Map<string, { text: string; rc: number }>();
  for (const name of [GUARD, ...plan.items.map((it) => it.name)]) {
    const p = partOf(parts, `kube.${name}`);
    if (p) out.set(name, { text: p.body, rc: p.rc });
  }
  return out;
}

type Missing = (what: string) => Fact<never>;

// Why an item has no answer: the process check refused (the items did not run), or it is not there.
function missingWhy(plan: KubePlan, got: Map<string, { text: string; rc: number }>): Missing {
  const check = got.get(GUARD);
  if (!plan.procs.length || !plan.items.length || check?.rc === 0) return (what) => errorFact(`${what}: not reported by the node (output cut short?)`);
  const why = !check ? 'the check of the process it came from was not reported (output cut short?)' : check.text.split('\n')[0]?.slice(0, 200) || `the check of the process it came from exited ${check.rc}`;
  return (what) => errorFact(`${what}: not read: ${why}`);
}

export function readKube(plan: KubePlan, parts: Parts, facts: Pick<ProbeFacts, 'cni' | 'subnetEnv' | 'flannelUnit'>): KubeNodeEvidence {
  const got = items(parts, plan);
  const notReported = missingWhy(plan, got);
  const curl = (name: string, url: string | undefined) => {
    const r = got.get(name);
    if (!url) return absentFact('not asked');
    return r ? okFact(parseCurlAnswer(r.text, r.rc)) : notReported(url);
  };
  const config = plan.config;
  const cfgOut = got.get('config');
  const kubeletConfig = !config ? absentFact('no --config') : !cfgOut ? notReported(config) : cfgOut.rc !== 0 ? errorFact(`${config} could not be read: ${cfgOut.text.slice(0, 200)}`) : parseKubeletConfig(cfgOut.text, config);
  // healthz was asked where the flags point; a --config that moves it is said, not guessed.
  const flags = effectiveKubelet('ok' in plan.kubelet ? kubeletFlags(plan.kubelet.ok.argv) : {}, kubeletConfig);
  const target = kubeletHealthzUrl(flags);
  const kubeletHealthz =
    'disabled' in target ? absentFact(target.disabled) : target.url !== plan.healthzUrl ? errorFact(`the kubelet's healthz is at ${target.url} by its --config ${config ?? ''}, which the batch did not ask`) : curl('healthz', plan.healthzUrl);
  return {
    kubelet: plan.kubelet,
    kubeletConfig,
    kubeletHealthz,
    apiserver: plan.apiserver,
    livez: plan.master ? curl('livez', plan.apiBase && `${plan.apiBase}/livez`) : absentFact('not a master'),
    readyz: plan.master ? curl('readyz', plan.apiBase && `${plan.apiBase}/readyz`) : absentFact('not a master'),
    cni: facts.cni,
    certs: okFact(certs(plan, got, notReported)),
    flannelLease: 'ok' in facts.subnetEnv ? (facts.subnetEnv.ok.subnet ? okFact(facts.subnetEnv.ok.subnet) : absentFact('FLANNEL_SUBNET is not set')) : facts.subnetEnv,
    kubeSubnetMgr: kubeSubnetMgr(facts),
  };
}

function certs(plan: KubePlan, got: Map<string, { text: string; rc: number }>, notReported: Missing): CertEvidence[] {
  const out: CertEvidence[] = plan.certs.map((c, i) => {
    const r = got.get(`cert${i}`);
    const cert = !r ? notReported(c.path) : r.rc !== 0 ? errorFact(`${c.path}: ${r.text.split('\n')[0]?.slice(0, 200) || `openssl exited ${r.rc}`}`) : parseX509Text(r.text, c.path);
    return { what: c.what, path: c.path, cert };
  });
  const kc = plan.kubeconfig;
  const text = got.get('kubeconfig');
  if (kc && text && text.rc === 0) {
    const named = kubeconfigClientCert(text.text, kc);
    const what = `kubelet client certificate (${kc})`;
    if ('ok' in named && 'info' in named.ok) out.push({ what, path: `(embedded in ${kc})`, cert: okFact(named.ok.info) });
    else if ('ok' in named && 'path' in named.ok) {
      const path = named.ok.path;
      const r = got.get('kubeconfig-cert');
      out.push({ what, path, cert: !r ? notReported(path) : r.rc !== 0 ? errorFact(`${path}: ${r.text.split('\n')[0]?.slice(0, 200) || `openssl exited ${r.rc}`}`) : parseX509Text(r.text, path) });
    } else if ('error' in named) out.push({ what, path: kc, cert: named });
  }
  return out;
}

// flanneld takes its lease from the Node's podCIDR: --kube-subnet-mgr in its unit.
function kubeSubnetMgr(facts: Pick<ProbeFacts, 'flannelUnit'>): Fact<boolean> {
  const unit = valueOf(facts.flannelUnit);
  if (!unit) return 'error' in facts.flannelUnit ? facts.flannelUnit : okFact(false);
  const u = readFlanneldUnit(unit);
  return okFact(flanneldKubeSubnetMgr(u.execStart?.argv ?? [], u.env));
}

