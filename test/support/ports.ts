import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 with nothing listening on it: bound by the OS, then released (for a server to start on, or a connection to be refused). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
