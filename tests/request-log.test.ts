/**
 * Every log line a request causes carries its request id, whichever module writes it and
 * after however many awaits; the request line itself has no header and no token.
 */
import express from 'express';
import request from 'supertest';
import { requestContext } from '../api/middleware/request-context';
import { log, setLogLevel } from '../runtime/log';
import { sleep } from '../stack/wait';

function captured(): { lines: () => Array<Record<string, unknown>>; restore: () => void } {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    }),
  );
  return {
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}

function app(): express.Express {
  const a = express();
  a.use(requestContext());
  a.get('/work', async (_req, res) => {
    log('info', 'before the wait');
    await sleep(5);
    log('warn', 'after the wait', { step: 2 });
    res.json({ ok: true });
  });
  a.post('/body', express.json(), async (_req, res) => {
    log('warn', 'after the body');
    res.json({ ok: true });
  });
  a.get('/fail', () => {
    throw new Error('boom');
  });
  return a;
}

afterEach(() => setLogLevel('warn'));

test('when a request logs from its handler then every line carries the request id', async () => {
  setLogLevel('info');
  const out = captured();
  try {
    await request(app())
      .get('/work?secret=1')
      .set('X-Request-Id', 'req-42')
      .set('Authorization', 'Bearer tok-123')
      .expect(200);
  } finally {
    out.restore();
  }
  const lines = out.lines();
  expect(lines.map((l) => l.msg)).toEqual(['before the wait', 'after the wait', 'http request']);
  expect(lines.every((l) => l.requestId === 'req-42')).toBe(true);
  expect(lines[2]).toMatchObject({ level: 'info', method: 'GET', path: '/work', status: 200 });
  expect(JSON.stringify(lines)).not.toMatch(/tok-123|secret|authorization/i);
});

test('when two requests interleave then each line carries its own request id', async () => {
  setLogLevel('info');
  const out = captured();
  const a = app();
  try {
    await Promise.all(
      ['r-1', 'r-2', 'r-3'].map((id) =>
        request(a).get('/work').set('X-Request-Id', id).expect(200),
      ),
    );
  } finally {
    out.restore();
  }
  const lines = out.lines().filter((l) => l.msg === 'after the wait');
  expect(lines.map((l) => l.requestId).sort()).toEqual(['r-1', 'r-2', 'r-3']);
});

test('when the level is warn then the request line is not written, and a failed request is an error line', async () => {
  setLogLevel('warn');
  const out = captured();
  try {
    await request(app()).get('/work').expect(200);
    await request(app()).get('/fail').expect(500);
  } finally {
    out.restore();
  }
  const lines = out.lines();
  expect(lines.map((l) => l.msg)).toEqual(['after the wait', 'http request']);
  expect(lines[1]).toMatchObject({ level: 'error', status: 500 });
});

test('when a handler runs after its JSON body is read then its lines still carry the request id', async () => {
  const out = captured();
  try {
    await request(app()).post('/body').set('X-Request-Id', 'req-body').send({ x: 1 }).expect(200);
  } finally {
    out.restore();
  }
  expect(out.lines()).toEqual([
    expect.objectContaining({ msg: 'after the body', requestId: 'req-body' }),
  ]);
});
