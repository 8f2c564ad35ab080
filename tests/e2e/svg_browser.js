// SPDX-License-Identifier: MIT
// Drive a pystrobe flame graph SVG in headless Chromium (playwright-core, the system chromium):
// screenshot it, search, zoom, and print what the page shows as one JSON object on stdout.
// Usage: node svg_browser.js CHROMIUM SVG OUTDIR SEARCH ZOOM_FRAME_TEXT [PREFIX]
'use strict';
const { chromium } = require('playwright-core');
const path = require('path');

async function frames(page) {
  // every drawn frame: name (tooltip), box, fill, class, label
  return page.$$eval('#frames g', gs => gs.map(g => {
    const r = g.querySelector('rect');
    return {
      info: g.querySelector('title').textContent,
      x: parseFloat(r.getAttribute('x')),
      w: parseFloat(r.getAttribute('width')),
      y: parseFloat(r.getAttribute('y')),
      fill: r.getAttribute('fill'),
      cls: g.getAttribute('class'),
      label: g.querySelector('text').textContent,
      visible: g.getBoundingClientRect().width > 0,
      // where the rect is painted (page px, what a screenshot shows) and its computed colour
      box: (b => [b.x, b.y, b.width, b.height])(r.getBoundingClientRect()),
      paint: getComputedStyle(r).fill,
    };
  }));
}

async function main() {
  const [exe, svg, outdir, term, zoomText, prefix = 'flamegraph'] = process.argv.slice(2);
  const out = { errors: [] };
  const browser = await chromium.launch({ executablePath: exe, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1200, height: 600 } });
  page.on('pageerror', e => out.errors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') out.errors.push(m.text()); });
  await page.goto('file://' + path.resolve(svg));
  const size = await page.$eval('svg', s => [s.width.baseVal.value, s.height.baseVal.value]);
  await page.setViewportSize({ width: size[0], height: Math.min(Math.ceil(size[1]), 4000) });
  out.size = size;
  out.default = await frames(page);
  await page.screenshot({ path: path.join(outdir, prefix + '-default.png') });

  // Search: the button asks with window.prompt
  page.once('dialog', d => d.accept(term));
  await page.click('#search');
  out.search = await frames(page);
  out.matched = await page.$eval('#matched', t => t.textContent);
  out.searchButton = await page.$eval('#search', t => t.textContent);
  await page.screenshot({ path: path.join(outdir, prefix + '-search.png') });
  await page.click('#search'); // "Reset search"
  out.afterReset = await frames(page);

  // Zoom: click the narrowest frame (at least 20 px) whose tooltip contains zoomText
  let idx = -1;
  out.default.forEach((f, i) => {
    if (zoomText && f.info.indexOf(zoomText) >= 0 && f.w >= 20 && (idx < 0 || f.w < out.default[idx].w))
      idx = i;
  });
  out.zoomIndex = idx;
  if (idx >= 0) {
    const box = await (await page.$$('#frames g rect'))[idx].boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    out.hoverDetails = await page.$eval('#details', t => t.textContent);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    out.zoomed = await frames(page);
    out.unzoomClass = await page.$eval('#unzoom', t => t.getAttribute('class'));
    await page.screenshot({ path: path.join(outdir, prefix + '-zoom.png') });
    await page.click('#unzoom');
    out.unzoomed = await frames(page);
  }
  // Keys: Ctrl-F asks for a term too; Esc resets search and zoom
  page.once('dialog', d => d.accept(term));
  await page.keyboard.press('Control+F');
  out.keyMatched = await page.$eval('#matched', t => t.textContent);
  if (idx >= 0) {
    const box = await (await page.$$('#frames g rect'))[idx].boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }
  await page.keyboard.press('Escape');
  out.afterEsc = await frames(page);
  out.escMatched = await page.$eval('#matched', t => t.textContent);
  out.escUnzoomClass = await page.$eval('#unzoom', t => t.getAttribute('class'));
  await browser.close();
  process.stdout.write(JSON.stringify(out));
}

main().catch(e => { process.stderr.write(String(e.stack || e) + '\n'); process.exit(1); });
