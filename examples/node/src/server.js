'use strict';

// Serves the pages rendered by `npm run build`. Runtime dependency: ms.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const ms = require('ms');

const pagesDir = path.join(__dirname, 'pages');
const started = Date.now();

function createServer() {
  return http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    if (pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', uptime: ms(Date.now() - started) }) + '\n');
      return;
    }
    const name = pathname === '/' ? 'index' : pathname.slice(1);
    if (!/^[a-z0-9-]+$/.test(name)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    fs.readFile(path.join(pagesDir, `${name}.html`), (err, html) => {
      if (err) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    });
  });
}

if (require.main === module) {
  const port = Number(process.env.PORT || 3000);
  const server = createServer().listen(port, () => {
    console.log(`pages listening on :${port}`);
  });
  // docker stop sends SIGTERM; node as PID 1 would otherwise ignore it.
  for (const sig of ['SIGTERM', 'SIGINT']) {
    process.on(sig, () => server.close(() => process.exit(0)));
  }
}

module.exports = { createServer };
