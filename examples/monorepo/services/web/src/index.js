// web: a placeholder service for the wharf monorepo example.
const http = require("node:http");

http.createServer((req, res) => res.end("web\n")).listen(process.env.PORT || 3000);
