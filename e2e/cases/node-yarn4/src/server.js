// Answers every request with where ms was resolved from: node_modules
// for the node-modules linker. No SIGTERM handler: the e2e PID 1 test
// relies on Node's default (exit), which only applies when Node is not
// PID 1.
const http = require("http");
const ms = require("ms");

http
  .createServer((req, res) => {
    res.end(`ms(90000) = ${ms(90000)} from ${require.resolve("ms")}\nuid: ${process.getuid()}\n`);
  })
  .listen(3000, "0.0.0.0");
