'use strict';

// Runtime dependency: must be in the runner's node_modules.
const ms = require('ms');
// Produced by `npm run build` from src/config.jsonc.
const config = require('./config.json');

function isInstalled(name) {
  try {
    require.resolve(name);
    return 'present';
  } catch (err) {
    return 'absent';
  }
}

console.log('greeting: ' + config.greeting);
for (const d of config.durations) {
  console.log('ms(' + d + '): ' + ms(d));
}
console.log("ms('1.5h'): " + ms('1.5h'));
console.log('devDependency strip-json-comments: ' + isInstalled('strip-json-comments'));
console.log('uid: ' + process.getuid());
