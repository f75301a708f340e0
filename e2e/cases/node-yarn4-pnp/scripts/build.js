// The build: copies src/ to dist/ (the runner gets dist/ only).
const fs = require("fs");
fs.rmSync("dist", { recursive: true, force: true });
fs.cpSync("src", "dist", { recursive: true });
