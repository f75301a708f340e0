'use strict';

// The frontend's build: src/ -> dist/. It reads src/site.jsonc with a
// devDependency (strip-json-comments), so the page exists only if npm ci
// ran in the stage; dist/ is what the runner gets.
const fs = require('fs');
const path = require('path');
const stripJsonComments = require('strip-json-comments');

const src = path.join(__dirname, 'src');
const dist = path.join(__dirname, 'dist');
fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(dist, { recursive: true });

const site = JSON.parse(stripJsonComments(fs.readFileSync(path.join(src, 'site.jsonc'), 'utf8')));
const page = fs.readFileSync(path.join(src, 'index.html'), 'utf8')
  .replaceAll('{{title}}', site.title)
  .replaceAll('{{node}}', process.versions.node.split('.')[0]);
fs.writeFileSync(path.join(dist, 'index.html'), page);
