// Copies src to dist: a stand-in for a real bundler.
const fs = require("node:fs");

fs.cpSync("src", "dist", { recursive: true });
