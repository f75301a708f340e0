// Served by Bun (node:http is Bun's), with a dependency from the
// node_modules that bun install --production wrote.
const http = require("http");
const ms = require("ms");

http
  .createServer((req, res) => {
    res.end(`bun ${Bun.version}: ms(90000) = ${ms(90000)} from ${require.resolve("ms")}\nuid: ${process.getuid()}\n`);
  })
  .listen(3000, "0.0.0.0");
