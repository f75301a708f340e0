// Build step: render content/*.md to dist/pages/*.html and copy the server.
import { mkdir, readdir, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const pagesOut = path.join(dist, 'pages');

const layout = (title, body) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title></head>
<body>
${body}</body>
</html>
`;

await rm(dist, { recursive: true, force: true });
await mkdir(pagesOut, { recursive: true });

const files = (await readdir(path.join(root, 'content'))).filter((f) => f.endsWith('.md')).sort();
for (const file of files) {
  const md = await readFile(path.join(root, 'content', file), 'utf8');
  const title = (md.match(/^# (.+)$/m) || [, 'pages'])[1];
  const html = layout(title, marked.parse(md));
  await writeFile(path.join(pagesOut, file.replace(/\.md$/, '.html')), html);
}
await copyFile(path.join(root, 'src', 'server.js'), path.join(dist, 'server.js'));
console.log(`rendered ${files.length} pages into dist/pages, copied dist/server.js`);
