// The server's view (issue 14, item 1): connections open on the server
// over time, one step line per shown protocol, in the full build. Expected
// figures: K&R's page over one connection at a time (cl=1) keeps exactly
// one connection open under HTTP/1.1 (keep-alive) and HTTP/2, and the
// drawing's peaks are the totals' own "Server: peak connections".

import { builds } from './hol.mjs';

export async function serverView({ browser, base, check, watch, totals, download, shots, path, axe }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  const page = await context.newPage();
  watch(page, 'server view');
  const fetched = builds(page);

  await page.goto(`${base}/?v=1&p=textbook&cl=1&show=10-11-2`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lanes] .lane-row', { timeout: 30000 });
  await Promise.all([page.waitForURL(/server=1/, { timeout: 30000 }), page.locator('[data-testid=open-server]').click()]);
  await page.waitForSelector('[data-testid=server-view] svg', { timeout: 30000 });
  check('Server opens the server\'s view in the full build', fetched.h3(), fetched.names());
  const peaks = await page.$$eval('[data-testid=server-view] .series', (gs) => Object.fromEntries(gs.map((g) => [g.dataset.protocol, Number(g.dataset.peak)])));
  const table = await totals(page, 'server.peak_open_connections');
  check('one step line per shown protocol, peaks equal to the totals', JSON.stringify(peaks) === JSON.stringify(table), `${JSON.stringify(peaks)} vs ${JSON.stringify(table)}`);
  check('one connection at a time: HTTP/1.1 and HTTP/2 hold exactly one', peaks['http/1.1'] === 1 && peaks.h2 === 1, JSON.stringify(peaks));
  const file = await download(page, 'export-svg-server');
  check('the server\'s view downloads as SVG', file.name.endsWith('-server.svg') && file.body.toString().includes('data-view="server"'), file.name);
  await page.addScriptTag({ path: axe });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  check('axe-core, the server\'s view: no violations', violations.length === 0, violations.join('\n    '));
  await page.locator('[data-testid=server-view]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'server-view-1280x720.png') });
  await page.locator('[data-testid=close-server]').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=server-view]'));
  check('Close takes the view away and server=1 out of the link', !page.url().includes('server=1'), page.url());
  await context.close();
  await serverViewDark({ browser, base, check, watch, shots, path });
}

// In a dark page the picture (drawn for paper) is shown inverted, not as a white block.
export async function serverViewDark({ browser, base, check, watch, shots, path }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme: 'dark' });
  const page = await context.newPage();
  watch(page, 'server view, dark');
  await page.goto(`${base}/?v=1&p=modern-page&show=10-11-2&server=1`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=server-view] svg', { timeout: 30000 });
  const filter = await page.$eval('[data-testid=server-view] svg', (el) => getComputedStyle(el).filter);
  check('dark mode: the server\'s picture is inverted to match the page', filter.includes('invert'), filter);
  await page.locator('[data-testid=server-view]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'server-view-dark-1280x720.png') });
  await context.close();
}
