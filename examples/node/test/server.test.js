'use strict';

// Run after `npm run build`: tests the built server against the built pages.
const { test } = require('node:test');
const assert = require('node:assert');
const { createServer } = require('../dist/server.js');

async function withServer(fn) {
  const server = createServer().listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    await fn(`http://127.0.0.1:${server.address().port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

test('renders the index page from Markdown', () =>
  withServer(async (base) => {
    const res = await fetch(`${base}/`);
    assert.strictEqual(res.status, 200);
    const html = await res.text();
    assert.match(html, /<h1>Welcome to pages<\/h1>/);
    assert.match(html, /<strong>Markdown<\/strong>/);
  }));

test('healthz reports uptime via ms', () =>
  withServer(async (base) => {
    const body = await (await fetch(`${base}/healthz`)).json();
    assert.strictEqual(body.status, 'ok');
    assert.match(body.uptime, /^\d+(ms|s|m|h|d)$/);
  }));

test('unknown pages are 404', () =>
  withServer(async (base) => {
    assert.strictEqual((await fetch(`${base}/missing`)).status, 404);
    assert.strictEqual((await fetch(`${base}/../etc/passwd`)).status, 404);
  }));
