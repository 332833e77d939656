import { spawn } from 'node:child_process';

// Debian's ignition-validate (2.14, spec 3.0–3.3): exit 0 and silence for a valid config.
export function ignitionValidate(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('ignition-validate', ['-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => reject(new Error(`ignition-validate could not run (apt-get install ignition): ${err.message}`)));
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}
