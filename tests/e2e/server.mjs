// The server's view (issue 14, item 1): connections open on the server
// over time, one step line per shown protocol, in the full build. Expected
// figures: K&R's page over one connection at a time (cl=1) keeps exactly
// one connection open under HTTP/1.1 (keep-alive) and HTTP/2, and the
// drawing's peaks are the totals' own "Server: peak connections".

import { builds } from './hol.mjs';
import { axeViolations } from './axe.mjs';

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
  const violations = await axeViolations(page, axe);
  check('axe-core, the server\'s view: no violations', violations.length === 0, violations.join('\n    '));
  await page.locator('[data-testid=server-view]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'server-view-1280x720.png') });
  await page.locator('[data-testid=close-server]').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=server-view]'));
  check('Close takes the view away and server=1 out of the link', !page.url().includes('server=1'), page.url());
  await context.close();
  await serverViewDark({ browser, base, check, watch, shots, path });
  await manyClients({ browser, base, check, watch, shots, path, axe });
}

// Many clients (issue 14, item 2): the server's figures when 1 to 10,000
// clients load the page. Expected figures from the closed form: K&R's page
// (index.html + 10 objects) one connection at a time with TLS 1.3 and no
// resumption opens N + 1 = 11 connections per client under HTTP/1.0, each
// a full handshake, and one under keep-alive: 11,000 against 1,000 for
// 1,000 clients. The figures are made in the export worker.
export async function manyClients({ browser, base, check, watch, shots, path, axe }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  watch(page, 'many clients');
  const cell = (figure, protocol) =>
    page.$eval(`[data-testid=crowd-table] tr[data-figure=${figure}] td[data-protocol="${protocol}"]`, (td) => td.textContent.replace(/\u202f/g, ','));
  await page.goto(`${base}/?v=1&p=textbook&cl=1&tls=tls1.3&show=10-11&server=1`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=server-view] [data-testid=crowd-count]', { timeout: 30000 });

  // A bad count is said beside its field, and what was typed stays.
  await page.fill('[data-testid=crowd-count]', '0');
  await page.locator('[data-testid=crowd-run]').click();
  const bad = await page.$eval('[data-testid=crowd-count]', (el) => ({
    value: el.value,
    invalid: el.getAttribute('aria-invalid'),
    message: document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '',
  }));
  check('many clients: a count of 0 is refused beside its field, the text kept', bad.value === '0' && bad.invalid === 'true' && /1 and 10000/.test(bad.message), JSON.stringify(bad));
  check('many clients: nothing simulated for a bad count', !page.url().includes('clients='), page.url());

  // 1,000 clients over 60 s, from the keyboard alone.
  await page.fill('[data-testid=crowd-count]', '1000');
  await page.fill('[data-testid=crowd-over]', '60');
  await page.focus('[data-testid=crowd-over]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=crowd-table]', { timeout: 60000 });
  check('many clients: the link carries them (clients=1000&over=60000)', /[?&]clients=1000&over=60000(&|$)/.test(page.url()), page.url());
  const accepted = [await cell('accepted', 'http/1.0'), await cell('accepted', 'http/1.1')];
  check('many clients: HTTP/1.0 accepts (N + 1) × 1,000 = 11,000 connections, keep-alive 1,000', accepted[0] === '11,000' && accepted[1] === '1,000', JSON.stringify(accepted));
  const handshakes = [await cell('handshakes', 'http/1.0'), await cell('handshakes', 'http/1.1')];
  check('many clients: every connection a full TLS handshake', handshakes[0] === '11,000 (0)' && handshakes[1] === '1,000 (0)', JSON.stringify(handshakes));
  check('many clients: the picture draws one band per protocol', (await page.$$('[data-testid=crowd-figures] svg .series')).length === 2);
  const violations = await axeViolations(page, axe);
  check('axe-core, many clients: no violations', violations.length === 0, violations.join('\n    '));
  await page.locator('#h-crowd').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'many-clients-1280x720.png') });

  // The link opens the same figures.
  const link = page.url();
  const again = await context.newPage();
  watch(again, 'many clients, from its link');
  await again.goto(link, { waitUntil: 'load' });
  await again.waitForSelector('[data-testid=crowd-table]', { timeout: 60000 });
  const reopened = await again.$eval('[data-testid=crowd-table] tr[data-figure=accepted] td[data-protocol="http/1.0"]', (td) => td.textContent.replace(/\u202f/g, ','));
  check('many clients: the link opens the same figures', reopened === '11,000', reopened);
  await again.close();

  // 10,000 clients over 10 minutes on the modern page, three protocols: how long the worker takes.
  await page.goto(`${base}/?v=1&p=modern-page&show=10-11-2&server=1&clients=10&over=1000`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=crowd-table]', { timeout: 60000 });
  await page.fill('[data-testid=crowd-count]', '10000');
  await page.fill('[data-testid=crowd-over]', '600');
  const started = Date.now();
  await page.locator('[data-testid=crowd-run]').click();
  await page.waitForFunction(() => /10\u202f000 clients/.test(document.querySelector('[data-testid=crowd-figures]')?.textContent ?? ''), null, { timeout: 120000 });
  console.log(`measure: many clients, modern-page, 10,000 clients over 600 s, 3 protocols in the export worker: ${((Date.now() - started) / 1000).toFixed(2)} s`);
  const most = await cell('peak-open', 'http/1.0');
  check('many clients: 10,000 clients show their figures', most.length > 0, most);
  await page.locator('[data-testid=crowd-off]').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=crowd-figures]'));
  check('One client takes the clients out of the link', !page.url().includes('clients='), page.url());
  await context.close();

  // A phone: the figures scroll sideways inside the card, not the page.
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const small = await phone.newPage();
  watch(small, 'many clients, 360 px');
  await small.goto(link, { waitUntil: 'load' });
  await small.waitForSelector('[data-testid=crowd-table]', { timeout: 60000 });
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('many clients at 360 px: the page does not scroll sideways', overflow <= 0, `${overflow} px`);
  await small.locator('#h-crowd').scrollIntoViewIfNeeded();
  await small.screenshot({ path: path.join(shots, 'many-clients-360.png') });
  await phone.close();
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
