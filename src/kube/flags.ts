// The command lines the kubelet and kube-apiserver run with, and the flags the kube.* checks
// read from them. Two sources: /proc/PID/cmdline (NUL-separated, what runs now) and the unit's
// ExecStart (`systemctl cat`, what starts next). Pure; node output is data.
import { parseSystemctlCat } from '../systemd/unit-file.js';
import { readServiceUnit } from '../systemd/unit.js';
import type { Fact } from './fact.js';

// A command line and where it was read, for messages ("/proc/1234/cmdline", "ExecStart in FILE").
export interface CommandLine {
  argv: string[];
  from: string;
  // Files the unit reads variables from: flags in them are not seen (EnvironmentFile=).
  hidden?: string[];
}

// /proc/PID/cmdline: arguments separated and ended by NUL.
export function parseCmdline(text: string, from: string): Fact<CommandLine> {
  const argv = text.split('\0');
  if (argv[argv.length - 1] === '') argv.pop();
  if (argv.length === 0 || argv[0] === '') return { error: `${from} is empty (the process exited, or is a kernel thread)` };
  return { ok: { argv, from } };
}

// `systemctl cat UNIT` → its ExecStart after systemd's merge of drop-ins and $VAR expansion.
export function unitCommandLine(text: string, unit: string): Fact<CommandLine> {
  if (text.trim() === '') return { absent: `no ${unit} on the node` };
  const files = parseSystemctlCat(text);
  if (!files.ok) return { error: `${unit}: ${files.error}` };
  const u = readServiceUnit(files.value); // systemd's merge rules, which are not flannel's own
  if (!u.execStart) return { error: `${unit} has no ExecStart line (${u.files.join(', ')})` };
  return { ok: { argv: u.execStart.argv, from: `the ExecStart of ${u.execStart.file}`, ...(u.unreadEnvironmentFiles.length ? { hidden: u.unreadEnvironmentFiles } : {}) } };
}

// A flag's value as Go's pflag reads it: `--name=V` or `--name V`, the last one winning.
// `-name=V` (one dash) is accepted too: the Go flag package of older components reads it.
export function flagValue(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') break;
    const m = /^--?([^=]+)(?:=(.*))?$/s.exec(a);
    if (!m || m[1] !== name) continue;
    if (m[2] !== undefined) value = m[2];
    else if (i + 1 < argv.length && !(argv[i + 1] ?? '').startsWith('-')) value = argv[++i];
    else value = 'true'; // a boolean flag given bare
  }
  return value;
}

const port = (v: string | undefined): number | undefined => (v !== undefined && /^\d{1,5}$/.test(v) ? Number(v) : undefined);

export interface KubeletFlags {
  healthzPort?: number; // --healthz-port (0: disabled); default 10248
  healthzBindAddress?: string;
  nodeIp?: string; // --node-ip
  hostnameOverride?: string; // --hostname-override
  kubeconfig?: string; // --kubeconfig: how the kubelet reaches the API
  certDir?: string; // --cert-dir; default /var/lib/kubelet/pki
  tlsCertFile?: string; // --tls-cert-file: its serving certificate
  config?: string; // --config: a KubeletConfiguration file (may set healthzPort too)
}

export interface ApiserverFlags {
  etcdServers: string[]; // --etcd-servers, comma-separated
  securePort?: number; // default 6443
  bindAddress?: string;
  advertiseAddress?: string;
  tlsCertFile?: string; // its serving certificate
  kubeletClientCertificate?: string; // its client certificate towards kubelets
  etcdCertfile?: string; // its client certificate towards etcd
}

function pick<K extends string>(argv: readonly string[], names: Record<K, string>): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const [key, flag] of Object.entries(names) as [K, string][]) {
    const v = flagValue(argv, flag);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

export function kubeletFlags(argv: readonly string[]): KubeletFlags {
  const { healthzPort, ...rest } = pick(argv, {
    healthzPort: 'healthz-port',
    healthzBindAddress: 'healthz-bind-address',
    nodeIp: 'node-ip',
    hostnameOverride: 'hostname-override',
    kubeconfig: 'kubeconfig',
    certDir: 'cert-dir',
    tlsCertFile: 'tls-cert-file',
    config: 'config',
  });
  const p = port(healthzPort);
  return { ...rest, ...(p === undefined ? {} : { healthzPort: p }) };
}

export function apiserverFlags(argv: readonly string[]): ApiserverFlags {
  const { etcdServers, securePort, ...rest } = pick(argv, {
    etcdServers: 'etcd-servers',
    securePort: 'secure-port',
    bindAddress: 'bind-address',
    advertiseAddress: 'advertise-address',
    tlsCertFile: 'tls-cert-file',
    kubeletClientCertificate: 'kubelet-client-certificate',
    etcdCertfile: 'etcd-certfile',
  });
  const p = port(securePort);
  return {
    etcdServers: (etcdServers ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    ...rest,
    ...(p === undefined ? {} : { securePort: p }),
  };
}

// Where to ask each component's health from the node itself: loopback unless it binds one
// other address only.
const local = (bind: string | undefined): string => (bind === undefined || bind === '0.0.0.0' || bind === '::' || bind === '' ? '127.0.0.1' : bind);

export const KUBELET_HEALTHZ_PORT = 10248;
export const APISERVER_SECURE_PORT = 6443;

// The kubelet's healthz URL, or why there is none (--healthz-port=0, as Typhoon runs it).
export function kubeletHealthzUrl(f: KubeletFlags): { url: string } | { disabled: string } {
  if (f.healthzPort === 0) return { disabled: 'the kubelet runs with healthz port 0, so it serves no healthz endpoint' };
  return { url: `http://${local(f.healthzBindAddress)}:${f.healthzPort ?? KUBELET_HEALTHZ_PORT}/healthz` };
}

// The apiserver's own address for /livez and /readyz, asked on the node.
export function apiserverBaseUrl(f: ApiserverFlags | undefined): string {
  return `https://${local(f?.bindAddress)}:${f?.securePort ?? APISERVER_SECURE_PORT}`;
}
