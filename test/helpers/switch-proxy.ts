import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

// One port whose connections go where `route` says at the time: a node whose sshd (and so its
// host key) is replaced between two connections, under the same name and port.
export interface SwitchProxy {
  port: number;
  route: () => number; // the backend port of the next connection
  close(): Promise<void>;
}

export async function startSwitchProxy(route: () => number): Promise<SwitchProxy> {
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };
  const state = { route };
  const server = createServer((down) => {
    const up = connect(state.route(), '127.0.0.1');
    track(down);
    track(up);
    down.pipe(up).pipe(down);
    down.on('close', () => up.destroy());
    up.on('close', () => down.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return Object.assign(state, {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => r());
      }),
  });
}
