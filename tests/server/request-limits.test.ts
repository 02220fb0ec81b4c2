import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { databaseModes } from '../support/testDatabase.js';
import { adminHeaders, useTestApp } from '../support/testApp.js';

interface RawAnswer {
  /** The whole answer as it arrived: status line, headers and body. */
  text: string;
  /** The socket error, such as ECONNRESET or EPIPE, when the connection broke. */
  error: string | null;
}

/**
 * Sends a POST over a plain socket, in 64 KiB pieces with pauses between them, and keeps sending until the body is
 * all sent whatever arrives meanwhile, as curl or a browser does: the server has time to answer and close first.
 */
function postOverSocket(
  port: number,
  path: string,
  bodyBytes: number,
  transfer: 'content-length' | 'chunked',
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let text = '';
    let error: string | null = null;
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('error', (problem: NodeJS.ErrnoException) => (error ??= problem.code ?? problem.message));
    socket.on('close', () => resolve({ text, error }));
    socket.on('connect', async () => {
      const length = transfer === 'chunked' ? 'transfer-encoding: chunked' : `content-length: ${bodyBytes}`;
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: localhost\r\nauthorization: ${adminHeaders.authorization}\r\n` +
          `content-type: application/json\r\n${length}\r\n\r\n`,
      );
      const piece = Buffer.alloc(64 * 1024, 'a');
      for (let sent = 0; sent < bodyBytes && error === null; sent += piece.length) {
        const written =
          transfer === 'chunked'
            ? socket.write(Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]))
            : socket.write(piece);
        if (!written) await new Promise((drained) => socket.once('drain', drained));
        await new Promise((pause) => setTimeout(pause, 2));
      }
      if (error !== null) return;
      if (transfer === 'chunked') socket.write('0\r\n\r\n');
      socket.end();
    });
  });
}

describe.each(databaseModes())('request limits (%s database)', (mode) => {
  const context = useTestApp(mode);
  let port = 0;

  beforeAll(async () => {
    await context.app.listen({ port: 0, host: '127.0.0.1' });
    port = (context.app.server.address() as AddressInfo).port;
  });

  it('answers a body declared over the limit with a readable 413, not a reset connection', async () => {
    const answer = await postOverSocket(port, '/api/services', 3 * 1024 * 1024, 'content-length');
    expect(answer.error).toBeNull();
    expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.text).toContain('The request body is too large: the limit is 1024 KiB.');
  });

  it('answers a streamed body that passes the limit with a readable 413, not a reset connection', async () => {
    const answer = await postOverSocket(port, '/api/services', 3 * 1024 * 1024, 'chunked');
    expect(answer.error).toBeNull();
    expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.text).toContain('The request body is too large: the limit is 1024 KiB.');
  });

  it('answers an area import over its own limit with a readable 413, not a reset connection', async () => {
    const answer = await postOverSocket(port, '/api/alliances/testland/analysis-units', 7 * 1024 * 1024, 'chunked');
    expect(answer.error).toBeNull();
    expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.text).toContain('areas can be imported up to 5 MiB at once');
  });

  it('refuses an imported area with more people than the world', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/api/alliances/testland/analysis-units',
      headers: adminHeaders,
      payload: {
        name: 'Too many people',
        areas: {
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: { name: 'Everywhere', population: 1e308 },
              geometry: {
                type: 'Polygon',
                coordinates: [
                  [
                    [-0.6, 44.8],
                    [-0.5, 44.8],
                    [-0.5, 44.9],
                    [-0.6, 44.8],
                  ],
                ],
              },
            },
          ],
        },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().problems).toEqual([
      {
        feature: 0,
        code: 'areas.feature-population-too-large',
        params: { feature: 0, property: 'population', max: 10_000_000_000, value: '1e+308' },
        message:
          'Feature 0: the property "population" must be at most 10,000,000,000 ' +
          "(more than the world's population), not 1e+308.",
      },
    ]);
  });
});
