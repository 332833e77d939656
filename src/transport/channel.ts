// ssh2's client.exec waits for two answers before its callback: the session channel's
// confirmation, then the exec request's. A node can leave either unanswered while keepalives keep
// the connection up, so a deadline must be able to say which one it was and give up on both.
import type { Client, ClientChannel } from 'ssh2';

// A command whose channel is not yet handed over: which answer it waits for, and how to give up.
export interface StartingExec {
  step(): 'channel' | 'exec';
  abandon(): void; // close the channel if it is open; a late callback closes its stream
}

// ssh2 1.x keeps each local channel in client._chanMgr._channels: the open callback (a function)
// until CHANNEL_OPEN_CONFIRMATION, then the Channel. Read only, and only to name a stall;
// without it (another ssh2) a stall is named `exec` and a confirmed channel is left to the close.
interface ChannelTable {
  [id: string]: unknown;
}
function channelTable(client: Client): ChannelTable | undefined {
  const mgr = (client as unknown as { _chanMgr?: { _channels?: unknown } })._chanMgr;
  const table = mgr?._channels;
  return typeof table === 'object' && table !== null ? (table as ChannelTable) : undefined;
}

// client.exec(command, cb), with a handle on the wait before cb. cb is not called once abandoned.
export function startExec(client: Client, command: string, cb: (err: Error | undefined, stream: ClientChannel) => void): StartingExec {
  const table = channelTable(client);
  const before = new Set(table ? Object.keys(table) : []);
  let abandoned = false;
  let handed = false;
  client.exec(command, (err, stream) => {
    handed = true;
    if (!abandoned) return cb(err, stream);
    if (!err) stream.close();
  });
  // openChannel reserved our id synchronously: the one key that was not there before.
  const id = table ? Object.keys(table).find((k) => !before.has(k)) : undefined;
  const entry = () => (id === undefined || !table ? undefined : table[id]);
  return {
    step: () => (typeof entry() === 'function' ? 'channel' : 'exec'),
    abandon: () => {
      if (abandoned || handed) return;
      abandoned = true;
      const chan = entry() as { close?: () => void } | undefined;
      if (typeof chan === 'object' && chan !== null && typeof chan.close === 'function') chan.close();
    },
  };
}
