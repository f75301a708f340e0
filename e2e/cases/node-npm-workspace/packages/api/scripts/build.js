// The build step: needs the member's devDependency, installed by npm ci at
// the workspace root only if the member's package.json was there.
const fs = require("fs");
const strip = require("strip-json-comments");
fs.mkdirSync("dist", { recursive: true });
const config = JSON.parse(strip(fs.readFileSync("src/config.jsonc", "utf8")));
fs.writeFileSync("dist/config.json", JSON.stringify(config));
fs.copyFileSync("src/server.js", "dist/server.js");
