import net from 'node:net';
import path from 'node:path';

export const TEST_DATA_DIR = path.resolve(__dirname, '..', '..', '.data', 'test');
export const STATE_FILE = path.join(TEST_DATA_DIR, 'stack.json');

export interface StackState {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}
