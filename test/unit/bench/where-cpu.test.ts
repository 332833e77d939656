import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { areasOf } from '../../../bench/where-cpu.js';

// Three stacks as `perf script -F comm,tid,ip,sym,dso` prints them (innermost frame first).
const SCRIPT = `node 4242
\t7f01 x25519_fe64_sqr (/usr/lib/x86_64-linux-gnu/libcrypto.so.3)
\t3a02 JS:^diffieHellman node:internal/crypto/diffiehellman:271:22 ([JIT] tid 4242)
\t3a03 JS:^computeSecret /work/main/node_modules/ssh2/lib/protocol/kex.js:1316:18 ([JIT] tid 4242)
\t3a04 JS:^processTicksAndRejections node:internal/process/task_queues:67:35 ([JIT] tid 4242)

node 4242
\tffff81 br_flood ([kernel.kallsyms])
\tffff82 __sys_connect ([kernel.kallsyms])
\t3a05 JS:^internalConnect node:net:1038:25 ([JIT] tid 4242)

node 4250
\t5501 v8::internal::OptimizingCompileDispatcher::CompileTask::RunInternal (/usr/bin/node)

node 4242
\tffff83 pvm_irq_enable ([kernel.kallsyms])

node 4242
\t7f09 malloc (/usr/lib/x86_64-linux-gnu/libc.so.6)
`;

describe('bench/where-cpu: samples by area', () => {
  test('each stack counts once, under the first area it passes through', () => {
    assert.deepEqual(
      [...areasOf(SCRIPT)].sort(),
      [
        ['JIT compiler threads', 1],
        ['TCP connect (kernel: ARP, SYN)', 1],
        ['key exchange (ssh2)', 1],
        ['other (Node, libc, OpenSSL)', 1],
        ['other (kernel)', 1],
      ],
    );
  });
});
