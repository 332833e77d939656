// Ask for a secret on the controlling terminal without echoing it. Only used when stdin and
// stderr are terminals; otherwise callers get no prompt and say how to pass the secret instead.
export function terminalPrompt(stdin: NodeJS.ReadStream = process.stdin, out: NodeJS.WriteStream = process.stderr): ((q: string) => Promise<string>) | undefined {
  if (!stdin.isTTY || !out.isTTY) return undefined;
  return (question) =>
    new Promise((resolve, reject) => {
      out.write(question);
      let answer = '';
      stdin.setRawMode(true);
      stdin.resume();
      const done = (err?: Error) => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
        out.write('\n');
        if (err) reject(err);
        else resolve(answer);
      };
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return done();
          if (ch === '\u0003') return done(new Error('interrupted at the passphrase prompt'));
          if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
          else answer += ch;
        }
      };
      stdin.on('data', onData);
    });
}
