// A workspace package that packages/api depends on (workspace:*).
module.exports = (who) => `hello, ${who}, from @demo/greet`;
