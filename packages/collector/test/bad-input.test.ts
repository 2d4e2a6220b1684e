// Bad input and load on real sockets: an oversize body gets a 413 the client reads, a slow body
// is cut off with 408 without holding a request slot, a client that half-closes gets its ack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { makeAgentSpans, toProtobuf } from './fixtures/spans.js';
import { post, startCollector } from './fixtures/harness.js';

const PB = { 'content-type': 'application/x-protobuf' };

function send(url: string, headers: Record<string, string>, write: (req: ReturnType<typeof httpRequest>) => void): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    write(req);
  });
}

test('a body over the limit gets a 413 the client actually receives (declared or chunked)', { timeout: 60_000 }, async () => {
  const c = await startCollector({ limits: { maxBodyBytes: 256 * 1024 } });
  try {
    const big = Buffer.alloc(8 * 1024 * 1024, 1);
    const declared = await send(`${c.url}/v1/traces`, { ...PB, 'content-length': String(big.length) }, (req) => req.end(big));
    assert.equal(declared.status, 413);
    const chunked = await send(`${c.url}/v1/traces`, { ...PB, 'transfer-encoding': 'chunked' }, (req) => {
      for (let i = 0; i < 8; i++) req.write(big.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
      req.end();
    });
    assert.equal(chunked.status, 413);
    assert.equal(c.collector.ledgerSize, 0);
  } finally {
    await c.close();
  }
});

test('a body slower than the body timeout is cut off with 408, and holds no slot meanwhile', { timeout: 60_000 }, async () => {
  const c = await startCollector({ limits: { maxInFlightRequests: 1, bodyTimeoutMs: 1500 } });
  try {
    const body = toProtobuf(await makeAgentSpans(3));
    // Several slow clients: headers and a few bytes, then nothing.
    const slow = Array.from({ length: 4 }, () => send(`${c.url}/v1/traces`, { ...PB, 'content-length': String(body.length) }, (req) => req.write(body.subarray(0, 5))));
    // A fast client is served while they hang (the only request slot is free).
    assert.equal((await post(`${c.url}/v1/traces`, body, PB)).status, 200);
    for (const r of await Promise.all(slow)) {
      assert.equal(r.status, 408);
      assert.match(r.body, /not received within 1500 ms/);
    }
    assert.equal(c.collector.ledgerSize, 3);
  } finally {
    await c.close();
  }
});

test('a client that half-closes after sending its request still gets the ack', { timeout: 60_000 }, async () => {
  const c = await startCollector();
  try {
    const body = toProtobuf(await makeAgentSpans(2));
    const { port } = c.collector.address!;
    const reply = await new Promise<string>((resolve, reject) => {
      const sock = connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => {
        sock.write(`POST /v1/traces HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-protobuf\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`);
        sock.end(body); // FIN after the body: nothing more to send, the answer still expected
      });
      const chunks: Buffer[] = [];
      sock.on('data', (d: Buffer) => chunks.push(d));
      sock.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
      sock.on('error', reject);
    });
    assert.match(reply, /^HTTP\/1\.1 200 /);
    assert.equal(c.collector.ledgerSize, 2);
  } finally {
    await c.close();
  }
});
