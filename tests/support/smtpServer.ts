import { SMTPServer } from 'smtp-server';

/** A message the test server accepted: its envelope recipients and the raw message. */
export interface ReceivedMail {
  to: string[];
  raw: string;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  received: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server on a free port of 127.0.0.1 that accepts every recipient but those of `refuse` (550, for
 * good) and `drop` (the connection is cut while the recipient is given: a failure to try again).
 */
export async function startTestSmtpServer(behaviour: { refuse?: string[]; drop?: string[] }): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, session, callback) {
      if (behaviour.refuse?.includes(address.address)) {
        return callback(Object.assign(new Error('5.1.1 No such mailbox here'), { responseCode: 550 }));
      }
      if (behaviour.drop?.includes(address.address)) {
        for (const connection of server.connections) {
          if (connection.id === session.id) connection._socket.destroy();
        }
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('The test SMTP server has no port.');
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
