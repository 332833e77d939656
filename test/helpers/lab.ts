import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const LAB = fileURLToPath(new URL('../lab/lab.sh', import.meta.url));
export const LAB_INVENTORY = fileURLToPath(new URL('../lab/.state/inventory.yaml', import.meta.url));
export const LAB_STATE = fileURLToPath(new URL('../lab/.state/', import.meta.url));

// Integration tests need the real lab: network namespaces and sshd need root.
export const labSkip: string | false =
  process.getuid?.() === 0 ? false : 'the lab needs root (network namespaces, veths, sshd): run the suite as root, as CI does';

export async function lab(...args: string[]): Promise<string> {
  const { stdout } = await run('bash', [LAB, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

export const nodeName = (i: number) => `lab-node-${i}`;
