// Load a speedscope file with speedscope's own importer (its release bundle in
// headless Chromium, through playwright-core) and print what it shows.
// Usage: node speedscope_import.js NODE_MODULES CHROMIUM PROFILE
// Prints one JSON line {ok, title, rows, errors}; exit 0 only when the import
// succeeded with no page error, alert or failed load.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');

const [nodeModules, chromiumPath, profilePath] = process.argv.slice(2);
const { chromium } = require(path.join(nodeModules, 'playwright-core'));
const release = path.join(nodeModules, 'speedscope', 'dist', 'release');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css',
	'.json': 'application/json', '.wasm': 'application/wasm' };

// speedscope's release files, and the profile at /profile/<its file name>.
function serve(req, res) {
	const url = decodeURIComponent(req.url.split('#')[0].split('?')[0]);
	const file = url.startsWith('/profile/') ? profilePath
		: path.join(release, path.normalize(url).replace(/^(\.\.[/\\])+/, ''));
	fs.readFile(file, (err, data) => {
		if (err) { res.writeHead(404); res.end(); return; }
		res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
		res.end(data);
	});
}

async function main() {
	const server = http.createServer(serve).listen(0, '127.0.0.1');
	await new Promise(r => server.once('listening', r));
	const base = `http://127.0.0.1:${server.address().port}`;
	const errors = [];
	const browser = await chromium.launch({ executablePath: chromiumPath,
		args: ['--no-sandbox', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'] });
	let out = { ok: false };
	try {
		const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
		page.on('pageerror', e => errors.push('pageerror: ' + e.message));
		page.on('dialog', d => { errors.push('alert: ' + d.message()); d.dismiss(); });
		page.on('console', m => {
			if (m.type() === 'error' || /Failed to load/.test(m.text()))
				errors.push('console: ' + m.text());
		});
		const name = encodeURIComponent(path.basename(profilePath));
		await page.goto(`${base}/index.html#profileURL=${base}/profile/${name}&view=sandwich`);
		await page.waitForFunction(() => / - speedscope$/.test(document.title), null, { timeout: 30000 })
			.catch(e => errors.push('no profile shown: ' + e.message.split('\n')[0]));
		await page.waitForTimeout(500);
		// the sandwich view's table: one row per function, "total self name"
		const rows = (await page.evaluate(() => document.body.innerText)).split('\n');
		out = { ok: errors.length === 0, title: await page.title(), rows: rows.slice(0, 12), errors };
	} finally {
		await browser.close();
		server.close();
	}
	console.log(JSON.stringify(out));
	process.exit(out.ok ? 0 : 1);
}

main().catch(e => { console.log(JSON.stringify({ ok: false, errors: [String(e)] })); process.exit(1); });
