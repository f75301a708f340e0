'use strict';

// Tiny build step: src/ -> dist/. Uses a devDependency, which the runner
// must not contain after `npm prune --omit=dev`.
const fs = require('fs');
const path = require('path');
const stripJsonComments = require('strip-json-comments');

const root = path.join(__dirname, '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(dist, { recursive: true });

const banner = '// built by scripts/build.js from src/index.js\n';
fs.writeFileSync(path.join(dist, 'index.js'), banner + fs.readFileSync(path.join(src, 'index.js'), 'utf8'));

const config = JSON.parse(stripJsonComments(fs.readFileSync(path.join(src, 'config.jsonc'), 'utf8')));
fs.writeFileSync(path.join(dist, 'config.json'), JSON.stringify(config, null, 2) + '\n');

console.log('built dist/index.js and dist/config.json');
