// The deployed member: a workspace package and a registry package, both
// from the node_modules that pnpm deploy wrote.
const http = require("http");
const greet = require("@demo/greet");
const ms = require("ms");

http
  .createServer((req, res) => {
    res.end(`${greet("api")}\nms(90000) = ${ms(90000)} from ${require.resolve("ms")}\n`);
  })
  .listen(3000, "0.0.0.0");
