// The member's server: a registry dependency (ms) from the workspace
// root's node_modules, and the config the build wrote.
const http = require("http");
const ms = require("ms");
const { greeting } = require("./config.json");

let dev = "absent";
try {
  require.resolve("strip-json-comments");
  dev = "present";
} catch {}

http
  .createServer((req, res) => {
    res.end(`${greeting}\nms(90000) = ${ms(90000)} from ${require.resolve("ms")}\ndevDependency strip-json-comments: ${dev}\n`);
  })
  .listen(3000, "0.0.0.0");
