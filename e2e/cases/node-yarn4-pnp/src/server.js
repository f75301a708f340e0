// Answers every request with where ms was resolved from: a zip archive
// in .yarn/cache under Plug'n'Play (no node_modules).
const http = require("http");
const ms = require("ms");

http
  .createServer((req, res) => {
    res.end(`ms(90000) = ${ms(90000)} from ${require.resolve("ms")}\npnp: ${Boolean(process.versions.pnp)}\n`);
  })
  .listen(3000, "0.0.0.0");
