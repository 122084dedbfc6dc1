// Head-of-line blocking (issue 11, item 2: behind a lost packet, and
// pipelining's in-order wait) and HTTP/3 (issue 10) in the
// app: the held-back phase in the waterfall, the lanes, the legend, the
// totals and the "why" panel. Called from e2e.mjs with its helpers; every
// check here can fail. Expected figures come from the engine's own result
// fields read on the page or from formulas, never from a previous run.

import { axeViolations } from './axe.mjs';

let t; // the helpers from e2e.mjs

export async function headOfLine(helpers) {
  t = helpers;
  await heldPhase();
  await http3Link();
  await switchToH3();
  await http3Looks();
}

// A time as the app writes it for people (format_ms): "12.5 ms", "1.234 s".
const ms = (text) => {
  const m = /(-?[\d.]+) (ms|s)$/.exec(text.trim());
  return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : NaN;
};

// Which of the app's two builds a page fetched (src/full_build.rs).
export const builds = (page) => {
  const wasm = [];
  page.on('request', (req) => {
    const name = new URL(req.url()).pathname.split('/').pop();
    if (name.endsWith('.wasm')) wasm.push(name);
  });
  return {
    h3: () => wasm.some((n) => n.startsWith('reuse-lab-h3')),
    firstLoad: () => wasm.some((n) => n.startsWith('reuse-lab-') && !n.startsWith('reuse-lab-h3')),
    names: () => wasm.join(', '),
  };
};

// The first connection's handshake in a protocol's lanes: its set-up bars
// after DNS (TCP then TLS, or QUIC's one), from their accessible names.
const handshakeMs = (page, protocol) =>
  page.$$eval(`[data-testid=lanes] .proto-group[data-protocol="${protocol}"] .lane-row`, (rows) =>
    [...rows[0].querySelectorAll('.bar[data-item]')]
      .filter((b) => {
        // data-item "h3 s CONN PHASE": a connection's set-up, phase 1 is DNS.
        const [, kind, , phase] = b.dataset.item.split(' ');
        return kind === 's' && phase !== '1';
      })
      .map((b) => b.getAttribute('aria-label')),
  ).then((labels) => labels.reduce((sum, l) => sum + ms(l.split(',').pop()), 0));

// ---- A link that shows HTTP/3 opens the HTTP/3 build ----
async function http3Link() {
  const { browser, base, check, watch, totals } = t;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  watch(page, 'h3 link');
  const fetched = builds(page);
  // No loss, TLS 1.3 and a certificate chain within QUIC's anti-amplification
  // budget (the head-of-line preset's): the handshakes are their textbook round trips.
  await page.goto(`${base}/?v=1&p=head-of-line&loss=0&show=10-11-2-3`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lanes] .proto-group[data-protocol=h3] .lane-row', { timeout: 30000 });
  check('a link with show=10-11-2-3 loads the HTTP/3 build, not the first-load one', fetched.h3() && !fetched.firstLoad(), fetched.names());
  const groups = await page.$$eval('[data-testid=lanes] .proto-group', (gs) => gs.map((g) => g.dataset.protocol));
  check('the lanes show all four protocols, HTTP/3 last', JSON.stringify(groups) === JSON.stringify(['http/1.0', 'http/1.1', 'h2', 'h3']), JSON.stringify(groups));
  const load = await totals(page, 'page_load_ms');
  check('the totals have an HTTP/3 column', load.h3 > 0, JSON.stringify(load));
  const rtt = Number(await page.locator('[data-testid=input-rtt]').inputValue());
  const [h2, h3] = [await handshakeMs(page, 'h2'), await handshakeMs(page, 'h3')];
  // QUIC: transport and TLS 1.3 in one round trip (RFC 9000 §7); TCP then TLS 1.3: two.
  check(`HTTP/3's handshake takes one round trip, TCP + TLS 1.3 two (RTT ${rtt} ms)`, h3 >= rtt && h3 < 1.5 * rtt && h2 >= 2 * rtt && h2 < 2.5 * rtt, `h3 ${h3} ms, h2 ${h2} ms`);
  check('the HTTP/3 checkbox is checked', await page.locator('[data-testid="show-h3"]').isChecked());

  // The waterfall and the ladder of an HTTP/3 connection.
  await page.locator('[data-testid="waterfall-h3"]').click();
  const rows = await page.locator('[data-testid=waterfall] .wf-row').count();
  check('the waterfall shows HTTP/3\'s requests', rows > 0, `${rows} rows`);
  // Its first connection's first 1.5 round trips: the handshake.
  await page.goto(`${base}/?v=1&p=head-of-line&loss=0&show=10-11-2-3&c=3-1&z=0-${1.5 * rtt}`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=ladder] .pkt', { timeout: 30000 });
  const ladder = await page.$$eval('[data-testid=ladder] .pkt', (pkts) => pkts.map((p) => p.getAttribute('aria-label')));
  check('the ladder draws QUIC datagrams with their packet types and frames', ladder.some((l) => /: Initial \(/.test(l)) && ladder.some((l) => /1-RTT \(.*STREAM/.test(l)), ladder.slice(0, 4).join(' | '));
  const states = await page.$$eval('[data-testid=ladder] .tcp-state', (els) => els.map((e) => e.textContent));
  check('the ladder shows QUIC\'s connection states', states.includes('established'), JSON.stringify(states.slice(0, 6)));
  await page.locator('[data-testid=ladder] .pkt').first().focus();
  const why = page.locator('[data-testid=why]');
  await why.getByText(/number space/).first().waitFor({ timeout: 5000 }).catch(() => {});
  const text = await why.innerText();
  check('the why panel names a QUIC packet\'s number space and number', /Initial packet 0 \(Initial number space\)/.test(text), text.slice(0, 300));

  // An embed that shows HTTP/3.
  const embed = builds(page);
  await page.goto(`${base}/?v=1&p=textbook&embed=1&show=2-3`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=embed] [data-testid=lanes] .proto-group[data-protocol=h3]', { timeout: 30000 });
  const shown = await page.$$eval('[data-testid=lanes] .proto-group', (gs) => gs.map((g) => g.dataset.protocol));
  check('an embed with show=2-3 shows HTTP/2 and HTTP/3 (HTTP/3 build)', JSON.stringify(shown) === JSON.stringify(['h2', 'h3']) && embed.h3(), JSON.stringify(shown));
  await context.close();
}

// ---- Checking HTTP/3 in the first-load build moves to the HTTP/3 build ----
async function switchToH3() {
  const { browser, base, check, watch, totals } = t;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  watch(page, 'h3 switch');
  const fetched = builds(page);
  await page.goto(`${base}/?v=1&p=textbook`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lanes] .lane-row', { timeout: 30000 });
  check('a link without HTTP/3 loads the first-load build only', fetched.firstLoad() && !fetched.h3(), fetched.names());
  const before = await totals(page, 'page_load_ms');
  await page.locator('[data-testid=input-rtt]').fill('80');
  for (let i = 0; i < 100 && JSON.stringify(await totals(page, 'page_load_ms')) === JSON.stringify(before); i++) await page.waitForTimeout(25);
  await page.locator('[data-testid=input-objects]').fill('7');
  await page.waitForTimeout(300);
  await Promise.all([page.waitForURL(/show=[\d-]*3/, { timeout: 30000 }), page.locator('[data-testid="show-h3"]').click()]);
  await page.waitForSelector('[data-testid=lanes] .proto-group[data-protocol=h3] .lane-row', { timeout: 30000 });
  const kept = {
    rtt: await page.locator('[data-testid=input-rtt]').inputValue(),
    objects: await page.locator('[data-testid=input-objects]').inputValue(),
    shown: await page.$$eval('[data-testid=lanes] .proto-group', (gs) => gs.map((g) => g.dataset.protocol)),
  };
  check('checking HTTP/3 opens the HTTP/3 build with every typed value kept', fetched.h3() && kept.rtt === '80' && kept.objects === '7' && JSON.stringify(kept.shown) === JSON.stringify(['http/1.0', 'http/1.1', 'h2', 'h3']), `${JSON.stringify(kept)}; ${fetched.names()}`);
  // In the HTTP/3 build, HTTP/3 comes and goes in place.
  await page.locator('[data-testid="show-h3"]').click();
  await page.waitForTimeout(300);
  const groups = await page.$$eval('[data-testid=lanes] .proto-group', (gs) => gs.map((g) => g.dataset.protocol));
  check('in the HTTP/3 build, unchecking HTTP/3 hides it in place', JSON.stringify(groups) === JSON.stringify(['http/1.0', 'http/1.1', 'h2']), JSON.stringify(groups));
  await context.close();
}

// ---- HTTP/3 shown: accessibility and screenshots ----
async function http3Looks() {
  const { browser, base, check, watch, shots, axe } = t;
  const url = `${base}/?v=1&p=head-of-line&show=10-11-2-3&wf=3&c=3-1`;
  for (const scheme of ['light', 'dark']) {
    const desktop = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme: scheme });
    const page = await desktop.newPage();
    watch(page, `h3 ${scheme}`);
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid=lanes] .proto-group[data-protocol=h3] .lane-row', { timeout: 30000 });
    const violations = await axeViolations(page, axe);
    check(`axe-core, HTTP/3 shown, ${scheme} mode: no violations`, violations.length === 0, violations.join('\n    '));
    const unnamed = await page.$$eval('[data-item]', (els) => els.filter((e) => !(e.getAttribute('aria-label') || e.textContent).trim()).length);
    check(`HTTP/3 shown, ${scheme}: every bar, mark and packet has an accessible name`, unnamed === 0, `${unnamed} without`);
    await page.screenshot({ path: `${shots}/h3-1280x720-${scheme}.png` });
    await page.screenshot({ path: `${shots}/h3-full-${scheme}.png`, fullPage: true });
    await desktop.close();
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: scheme });
    const p = await phone.newPage();
    watch(p, `h3 phone ${scheme}`);
    await p.goto(url, { waitUntil: 'load' });
    await p.waitForSelector('[data-testid=lanes] .proto-group[data-protocol=h3] .lane-row', { timeout: 30000 });
    await p.screenshot({ path: `${shots}/h3-360-${scheme}.png`, fullPage: true });
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(`HTTP/3 shown, 360 px, ${scheme}: no sideways scrolling`, overflow <= 1, `${overflow} px`);
    await phone.close();
  }
}

// ---- The time a response waits behind a lost packet, as its own phase ----
async function heldPhase() {
  const { browser, base, check, watch, totals } = t;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  watch(page, 'held');
  // The TCP protocols only: this page stays in the first-load build.
  await page.goto(`${base}/?v=1&p=head-of-line&show=10-11-2`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lanes] .lane-row', { timeout: 30000 });

  const held = await totals(page, 'held_ms');
  check('head-of-line: the totals row "Held behind a lost packet" shows a non-zero time for HTTP/2', held.h2 > 0, JSON.stringify(held));
  const rowName = await page.$eval('[data-testid=total][data-metric=held_ms]', (td) => td.closest('tr').querySelector('th').textContent);
  check('the held totals row is named for people', /Held behind a lost packet/.test(rowName), rowName);

  const lanes = await page.$$eval('[data-testid=lanes] .proto-group[data-protocol=h2] .bar.ph-held', (els) => els.length);
  check('head-of-line: the HTTP/2 lanes draw held-back time as its own phase', lanes > 0, `${lanes} held bars`);
  await page.locator('[data-testid="waterfall-h2"]').click();
  const wf = await page.$$eval('[data-testid=waterfall] .bar.ph-held', (els) => els.map((e) => e.getAttribute('aria-label')));
  check('head-of-line: the HTTP/2 waterfall draws held-back time, each bar named', wf.length > 0 && wf.every((l) => /Held behind a lost packet/.test(l ?? '')), `${wf.length} bars; ${wf[0]}`);

  const legend = await page.$$eval('.legend li', (lis) => lis.filter((li) => li.querySelector('.ph-held') && /Held behind a lost packet/.test(li.textContent)).length);
  check('the legend has the held phase with its swatch', legend > 0, `${legend}`);
  // Colour and pattern: the swatch is filled with its own pattern, unlike every other phase.
  const fills = await page.$eval('.legend', (legend) => [...legend.querySelectorAll('li .bar')].map((b) => getComputedStyle(b).fill));
  const heldFill = await page.$eval('.legend li .bar.ph-held', (b) => getComputedStyle(b).fill);
  check('the held phase has a pattern of its own', /pat-held/.test(heldFill) && fills.filter((f) => f === heldFill).length === 1, heldFill);

  // The "why" panel says what the engine says about the hold. (The pointer
  // leaves the page first: a bar under it, after the click on the
  // waterfall's tab, would be explained instead of the focused one.)
  await page.mouse.move(0, 0);
  await page.locator('[data-testid=lanes] .proto-group[data-protocol=h2] .bar.ph-held').first().focus();
  const why = page.locator('[data-testid=why]');
  await why.getByText(/wait behind/).first().waitFor({ timeout: 5000 }).catch(() => {});
  const text = await why.innerText();
  check('the why panel gives the engine\'s words for a held response', /Held behind a lost packet/.test(text) && /arrived but wait behind (a )?lost packet/.test(text) && /go up at once/.test(text), text.slice(0, 300));
  await context.close();
}

// ---- Pipelining's in-order wait (issue 11, item 2) ----
export async function blockedPhase(helpers) {
  const { browser, base, check, watch, totals } = helpers;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  watch(page, 'blocked');
  await page.goto(`${base}/?v=1&p=modern-page&show=10-11-2`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lanes] .lane-row', { timeout: 30000 });
  const none = await page.$$eval('[data-testid=total][data-metric=blocked_ms]', (tds) => tds.length);
  check('without pipelining the totals have no "Waiting behind an earlier response" row', none === 0, `${none} cells`);

  // One pipelined HTTP/1.1 connection: every request after the first waits
  // at the server behind the ones before it. HTTP/1.0 does not pipeline and
  // HTTP/2's streams have no order between them: both stay at 0.
  await page.goto(`${base}/?v=1&p=modern-page&pl=1&cl=1&show=10-11-2`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=total][data-metric=blocked_ms]', { timeout: 30000 });
  const blocked = await totals(page, 'blocked_ms');
  check('pipelined: HTTP/1.1 counts time behind earlier responses, HTTP/1.0 and HTTP/2 none', blocked['http/1.1'] > 0 && blocked['http/1.0'] === 0 && blocked.h2 === 0, JSON.stringify(blocked));
  const rowName = await page.$eval('[data-testid=total][data-metric=blocked_ms]', (td) => td.closest('tr').querySelector('th').textContent);
  check('the in-order totals row is named for people', /Waiting behind an earlier response/.test(rowName), rowName);
  const lanes = await page.$$eval('[data-testid=lanes] .proto-group[data-protocol="http/1.1"] .bar.ph-blocked', (els) => els.length);
  check('pipelined: the HTTP/1.1 lanes draw the in-order wait as its own phase', lanes > 0, `${lanes} bars`);
  await page.locator('[data-testid="waterfall-http/1.1"]').click();
  const wf = await page.$$eval('[data-testid=waterfall] .bar.ph-blocked', (els) => els.map((e) => e.getAttribute('aria-label')));
  check('pipelined: the HTTP/1.1 waterfall draws the in-order wait, each bar named', wf.length > 0 && wf.every((l) => /Waiting behind an earlier response/.test(l ?? '')), `${wf.length} bars; ${wf[0]}`);
  const fills = await page.$eval('.legend', (legend) => [...legend.querySelectorAll('li .bar')].map((b) => getComputedStyle(b).fill));
  const fill = await page.$eval('.legend li .bar.ph-blocked', (b) => getComputedStyle(b).fill);
  check('the legend has the in-order wait with a pattern of its own', /pat-blocked/.test(fill) && fills.filter((f) => f === fill).length === 1, fill);
  await page.locator('[data-testid=lanes] .proto-group[data-protocol="http/1.1"] .bar.ph-blocked').first().focus();
  const why = page.locator('[data-testid=why]');
  await why.getByText(/answered in order/).first().waitFor({ timeout: 5000 }).catch(() => {});
  const text = await why.innerText();
  check('the why panel gives the engine\'s words for the in-order wait', /Waiting behind an earlier response/.test(text) && /first: pipelined requests are answered in order/.test(text), text.slice(0, 300));
  await context.close();
}
