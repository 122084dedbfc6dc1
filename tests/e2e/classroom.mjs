// Issue 11, "What a class sees": the first screen, zoom and pan, the flaws a
// projector shows, accessibility (axe-core, contrast, names, skip links, a
// keyboard-only lesson), and screenshots of every preset to look at.
// Called from e2e.mjs with its helpers; every check here can fail.

import path from 'node:path';
import { axeViolations as axeOn } from './axe.mjs';

// WCAG 2 relative luminance and contrast ratio of two `rgb(r, g, b)` colours.
const luminance = (rgb) => {
  const [r, g, b] = rgb.match(/[\d.]+/g).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

// The one style of times for people (reuse_render::layout::format_ms):
// ms to a tenth below a second, s to the millisecond from there.
const TIME = /^-?\d+(\.\d)? ms$|^-?\d+(\.\d{1,3})? s$/;

// What the views show of the time axis, from the zoom read-out (absent: all of it).
const zoomWindow = async (page) => {
  const el = page.locator('[data-testid=zoom-range]');
  if (!(await el.count())) return null;
  return { start: Number(await el.getAttribute('data-start')), end: Number(await el.getAttribute('data-end')) };
};

const axeViolations = (page) => axeOn(page, t.axe);

let t; // the helpers from e2e.mjs

export async function classroom(helpers) {
  t = helpers;
  await firstScreen();
  await zoomAndPan();
  await flaws();
  await accessibility();
  await breakpoints();
  await screenshots();
}

// ---- Breakpoints in the lab's own player (issue 12) ----
// K&R's page under HTTP/1.0, one connection at a time, RTT 100 ms: each
// object costs a handshake and a request, 2 RTT, so connection k + 1 opens
// at 2k × RTT. Pausing at "new connection" stops playing at 200 ms, then 400 ms.
async function breakpoints() {
  const page = await t.browser.newPage({ viewport: { width: 1280, height: 720 } });
  t.watch(page, 'breakpoints');
  await page.goto(`${t.base}/?v=1&p=textbook&cl=1&show=10`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lanes] .lane-row', { timeout: 30000 });
  await page.selectOption('[data-testid=pause-at]', '0');
  await page.locator('[data-testid=to-start]').click();
  const stops = [];
  for (let i = 0; i < 2; i++) {
    await page.locator('[data-testid=play]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=play]').dataset.playing === 'false', null, { timeout: 20000 });
    stops.push(await t.playhead(page));
  }
  t.check('a breakpoint stops playing at each new connection: 2 RTT, then 4 RTT', Math.abs(stops[0] - 200) < 1e-6 && Math.abs(stops[1] - 400) < 1e-6, JSON.stringify(stops));
  const why = await page.$eval('[data-testid=why]', (el) => el.textContent);
  t.check('the stop is explained in the engine\'s words', why.includes('Paused: HTTP/1.0 · new connection'), why.slice(0, 200));
  // Play through: nothing stops it before the end.
  await page.selectOption('[data-testid=pause-at]', '');
  await page.locator('[data-testid=play]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=play]').dataset.playing === 'false', null, { timeout: 20000 });
  const end = await page.$eval('[data-testid=scrub]', (el) => Number(el.max));
  const at = await t.playhead(page);
  t.check('with "Don\'t pause" it plays to the end', Math.abs(at - end) < 1e-6, `${at} of ${end}`);
  const row = await page.evaluate(() => ['.transport .buttons', '.transport .keys'].map((q) => Math.round(document.querySelector(q).getBoundingClientRect().top)));
  t.check('the player with its breakpoint choice stays one line at 1280×720', Math.abs(row[0] - row[1]) <= 8, JSON.stringify(row));
  const named = await page.$eval('[data-testid=pause-at]', (el) => el.getAttribute('aria-label'));
  t.check('the breakpoint choice has a name for screen readers', named === 'Pause at', named);
  await page.close();
}

// The widest preset title in the picker's font, and the room its box has
// for text (less its padding and the drop-down arrow, about 20 px).
const pickerRoom = (page) =>
  page.$eval('[data-testid=preset]', (el) => {
    const canvas = document.createElement('canvas').getContext('2d');
    canvas.font = getComputedStyle(el).font;
    const widest = Math.max(...[...el.options].map((o) => canvas.measureText(o.text).width));
    const style = getComputedStyle(el);
    const room = el.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
    const right = el.getBoundingClientRect().right;
    return { widest, room, inside: right <= window.innerWidth };
  });

// ---- 1. The first screen shows the animation ----
async function lanesOnScreen(page) {
  return page.evaluate(() => {
    const lanes = document.querySelector('[data-testid=lanes]').getBoundingClientRect();
    const why = document.querySelector('[data-testid=why]').getBoundingClientRect();
    return { top: lanes.top, bottom: lanes.bottom, height: lanes.height, whyTop: why.top, scrollY: window.scrollY, inner: window.innerHeight };
  });
}

// The playhead's x in the lanes, and whether it is drawn where one can see it.
const lanesPlayhead = (page) =>
  page.evaluate(() => {
    const line = document.querySelector('.stack .overlay .playhead');
    if (!line) return null;
    const r = line.getBoundingClientRect();
    return { x: r.left, top: r.top };
  });

async function firstScreen() {
  const { browser, base, check, watch, open, presets } = t;
  for (const [w, h] of [[1280, 720], [1440, 900]]) {
    const context = await browser.newContext({ viewport: { width: w, height: h } });
    const page = await context.newPage();
    watch(page, `first screen ${w}x${h}`);
    for (const id of presets) {
      await open(page, base, id);
      const m = await lanesOnScreen(page);
      const seen = Math.min(m.bottom, m.whyTop) - m.top;
      // On the first screen: all the lanes, or at least 300 px of them when
      // a preset has more rows than any screen (modern-page, image-tiles).
      check(
        `${id} at ${w}×${h}: the lanes are on the first screen without scrolling`,
        m.scrollY === 0 && m.top >= 0 && m.top < h / 2 && seen >= Math.min(m.height, 300) - 1,
        JSON.stringify(m),
      );
      if (id === 'textbook' || id === 'api-polling') {
        check(`${id} at ${w}×${h}: every lane is on the first screen`, m.bottom <= m.whyTop + 1, JSON.stringify(m));
      }
    }
    // Play moves the playhead across lanes one can see.
    await open(page, base, 'textbook');
    await page.locator('[data-testid=to-start]').click();
    const before = await lanesPlayhead(page);
    await page.locator('[data-testid=play]').click();
    await page.waitForTimeout(700);
    const after = await lanesPlayhead(page);
    const m = await lanesOnScreen(page);
    check(
      `textbook at ${w}×${h}: Play moves the playhead across the visible lanes`,
      before && after && after.x > before.x + 20 && after.top < m.whyTop,
      JSON.stringify({ before, after }),
    );
    await context.close();
  }

  // The default embed in a 560 px iframe: moving lanes without scrolling inside the frame.
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  watch(page, 'embed 560');
  for (const [query, height] of [['?v=1&p=textbook&embed=1', 560], ['?v=1&p=textbook&show=10-11&embed=1', 560], ['?v=1&p=api-polling&show=11&embed=1&views=lanes', 420]]) {
    await page.setContent(`<!doctype html><iframe src="${base}/${query}" style="width:100%;height:${height}px;border:0" title="embed"></iframe>`);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    await frame.waitForSelector('[data-testid=lanes]', { timeout: 30000 });
    await frame.waitForTimeout(100);
    const m = await lanesOnScreen(frame);
    check(
      `embed ${query} in a ${height} px frame: every lane is seen without scrolling`,
      m.scrollY === 0 && m.top >= 0 && m.bottom <= m.whyTop + 1 && m.inner === height,
      JSON.stringify(m),
    );
    await frame.locator('[data-testid=to-start]').click();
    const before = await lanesPlayhead(frame);
    await frame.locator('[data-testid=play]').click();
    await frame.waitForTimeout(600);
    const after = await lanesPlayhead(frame);
    check(`embed ${query}: the lanes move when playing`, before && after && after.x > before.x + 10, JSON.stringify({ before, after }));
    await page.screenshot({ path: path.join(t.shots, `embed-${height}-${query.includes('show=10-11') ? 'textbook-10-11' : query.includes('api') ? 'api-polling' : 'textbook'}.png`) });
  }
  await context.close();
}

// ---- 2. Zoom and pan, shared by every view, kept in the link ----
async function zoomAndPan() {
  const { browser, base, check, watch, open } = t;
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  watch(page, 'zoom');
  await open(page, base, 'api-polling');
  const race = () => page.$eval('[data-testid=lanes] .proto-group[data-protocol="http/1.1"] .lost-attempt', (el) => el.getBoundingClientRect().width);
  const whole = await race();
  check('api-polling unzoomed: the keep-alive race is a sliver of at most 2 px', whole <= 2, `${whole} px`);
  check('unzoomed, nothing says a zoom is on', (await zoomWindow(page)) === null);
  await page.locator('[data-testid=lanes] .proto-group[data-protocol="http/1.1"] .lost-request').first().hover();
  await page.locator('[data-testid=zoom-to]').click();
  const zoomed = await race();
  check('"Zoom to this" on the lost request makes the race more than 2 px wide (more than 20)', zoomed > 20, `${whole} → ${zoomed} px`);
  // Both clocks: the server's close (hollow mark) and the client's (the close line) are apart.
  const clocks = await page.$eval('[data-testid=lanes] .proto-group[data-protocol="http/1.1"] .lane-row:has(.close-other)', (row) => ({
    server: row.querySelector('.close-other').getBoundingClientRect().left,
    client: row.querySelector('.close .close-mark').getBoundingClientRect().left,
  }));
  check('zoomed: the server closes (its clock) visibly before the client learns of it', clocks.client - clocks.server > 10, JSON.stringify(clocks));
  const w1 = await zoomWindow(page);
  check('the zoom read-out shows the window', w1 && w1.end > w1.start, JSON.stringify(w1));
  // Shared: the waterfall and the ladder show the same window.
  const wfTicks = await page.$$eval('[data-testid=waterfall] .tick', (ts) => ts.map((x) => x.textContent));
  check('the waterfall is zoomed too (its ticks are inside the window)', wfTicks.length >= 2 && !wfTicks.includes('0'), wfTicks.join(' '));
  // Kept in the link: the address holds it, and opening it shows the same window.
  const url = await page.evaluate(() => location.href);
  check('the address holds the zoom', /[?&]z=\d+(\.\d)?-\d+(\.\d)?/.test(url), url);
  const again = await context.newPage();
  watch(again, 'zoom link');
  await again.goto(url, { waitUntil: 'load' });
  await again.waitForSelector('[data-testid=lanes]');
  const w2 = await zoomWindow(again);
  check('a link with a zoom opens on the same window (to 0.1 ms)', w2 && Math.abs(w2.start - w1.start) <= 0.05 && Math.abs(w2.end - w1.end) <= 0.05, `${JSON.stringify(w1)} vs ${JSON.stringify(w2)}`);
  await again.close();

  // Keys: 0 whole, + in, - out, Shift+→ pan.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('0');
  check('0: the whole timeline again', (await zoomWindow(page)) === null);
  await page.keyboard.press('End');
  await page.keyboard.press('Home');
  await page.keyboard.press('+');
  const k1 = await zoomWindow(page);
  const end = Number(await page.locator('[data-testid=scrub]').getAttribute('max'));
  check('+: zooms in twice (half the axis)', k1 && Math.abs(k1.end - k1.start - end / 2) < 1, JSON.stringify(k1));
  await page.keyboard.press('Shift+ArrowRight');
  const k2 = await zoomWindow(page);
  check('Shift+→: pans a quarter of the window later', k2 && Math.abs(k2.start - k1.start - (k1.end - k1.start) / 4) < 1, `${JSON.stringify(k1)} → ${JSON.stringify(k2)}`);
  await page.keyboard.press('+');
  await page.keyboard.press('-');
  const k3 = await zoomWindow(page);
  check('- undoes +', k3 && Math.abs(k3.end - k3.start - (k2.end - k2.start)) < 1, JSON.stringify(k3));

  // Pointer: Ctrl+wheel zooms around the pointer, a drag pans, a plain wheel scrolls the page.
  const box = await page.locator('[data-testid=lanes]').boundingBox();
  const plot = (await page.locator('[data-testid=lanes]').getAttribute('data-plot')).split(' ').map(Number);
  const mx = box.x + (plot[0] + plot[1]) / 2;
  const my = box.y + 40;
  await page.mouse.move(mx, my);
  const timeUnder = (w) => w.start + ((mx - box.x - plot[0]) / (plot[1] - plot[0])) * (w.end - w.start);
  const p0 = timeUnder(k3);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -200);
  await page.keyboard.up('Control');
  await page.waitForTimeout(100);
  const k4 = await zoomWindow(page);
  check('Ctrl+wheel zooms in around the pointer (the time under it stays)', k4 && k4.end - k4.start < (k3.end - k3.start) * 0.6 && Math.abs(timeUnder(k4) - p0) < (k4.end - k4.start) / 100, `${JSON.stringify(k3)} → ${JSON.stringify(k4)}`);
  const pickedBefore = await page.locator('[data-testid=ladder-connection]').inputValue();
  await page.mouse.move(mx, my);
  await page.mouse.down();
  await page.mouse.move(mx - 100, my, { steps: 5 });
  await page.mouse.up();
  const k5 = await zoomWindow(page);
  const perPx = (k4.end - k4.start) / (plot[1] - plot[0]);
  check('dragging 100 px left pans later by 100 px of time', k5 && Math.abs(k5.start - k4.start - 100 * perPx) < 2 * perPx, `${JSON.stringify(k4)} → ${JSON.stringify(k5)}`);
  const pickedAfter = await page.locator('[data-testid=ladder-connection]').inputValue();
  check('a drag is not a click: the ladder keeps its connection', pickedAfter === pickedBefore, `${pickedBefore} → ${pickedAfter}`);
  const ladderBefore = Number(await page.locator('[data-testid=ladder]').getAttribute('data-packets'));
  await page.keyboard.press('0');
  const ladderWhole = Number(await page.locator('[data-testid=ladder]').getAttribute('data-packets'));
  check('the ladder follows the zoom (fewer packets in a narrow window)', ladderBefore < ladderWhole, `${ladderBefore} zoomed vs ${ladderWhole} whole`);
  await context.close();
}

// ---- 3. Flaws a projector shows ----
async function flaws() {
  const { browser, base, check, watch, open, download } = t;
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  const page = await context.newPage();
  watch(page, 'flaws');
  await open(page, base, 'textbook');

  // Every TCP state change the trace holds is on the ladder, none on top of another.
  const trace = JSON.parse((await download(page, 'export-json')).body.toString());
  for (const [protocol, conn] of [['http/1.0', 1], ['http/1.1', 1]]) {
    await page.locator('[data-testid=ladder-connection]').selectOption(`${protocol} ${conn}`);
    await page.waitForTimeout(50);
    const run = trace.runs.find((r) => r.protocol === protocol);
    const expected = run.trace.filter((e) => e.type === 'tcp_state_changed' && e.conn === conn).map((e) => e.to);
    const drawn = await page.$$eval('[data-testid=ladder] .tcp-state', (ts) => ts.map((x) => ({ text: x.textContent, x: Number(x.getAttribute('x')), y: Number(x.getAttribute('y')) })));
    check(`${protocol} connection ${conn}: the ladder shows every TCP state change of the trace`, JSON.stringify(drawn.map((d) => d.text).sort()) === JSON.stringify([...expected].sort()), `${drawn.map((d) => d.text).join(',')} vs ${expected.join(',')}`);
    const overlaps = drawn.filter((a, i) => drawn.some((b, j) => j < i && a.x === b.x && Math.abs(a.y - b.y) < 11));
    check(`${protocol} connection ${conn}: no state label on top of another`, overlaps.length === 0, JSON.stringify(overlaps));
  }

  // HTTP/1.0: the close is drawn on the client's clock, after the response;
  // no mark covers a bar from the pointer.
  const closes = await page.$$eval('[data-testid=lanes] .proto-group[data-protocol="http/1.0"] .lane-row', (rows) =>
    rows.map((row) => {
      const mark = row.querySelector('.close-mark')?.getBoundingClientRect();
      const bars = [...row.querySelectorAll('.bar')].map((b) => b.getBoundingClientRect());
      const lastBar = Math.max(...bars.map((b) => b.right));
      const hidden = bars.filter((b) => {
        const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
        return !hit || !hit.classList.contains('bar');
      }).length;
      return { mark: mark ? mark.left + 1 : null, lastBar, hidden };
    }),
  );
  check('HTTP/1.0: every close mark is after the row\'s last bar (the client sees the FIN after the data)', closes.every((c) => c.mark !== null && c.mark >= c.lastBar - 0.5), JSON.stringify(closes.filter((c) => !(c.mark >= c.lastBar - 0.5))));
  check('HTTP/1.0: every bar answers the pointer (no mark on top of it)', closes.every((c) => c.hidden === 0), JSON.stringify(closes.filter((c) => c.hidden)));

  // Serial HTTP/1.1: each request starts visibly and has a label where one fits.
  for (const id of t.presets) {
    // HTTP/1.1 shown even where the preset's own set lacks it (head-of-line: HTTP/2 and HTTP/3).
    await page.goto(`${base}/?v=1&p=${id}&show=10-11-2`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid=lanes] .lane-row', { timeout: 30000 });
    const reqs = await page.$$eval('[data-testid=lanes] .proto-group[data-protocol="http/1.1"] .req', (gs) =>
      gs.map((g) => ({
        start: !!g.querySelector('.req-start'),
        label: g.querySelector('.bar-label')?.textContent ?? null,
        id: g.dataset.request,
        wide: Math.max(...[...g.querySelectorAll('.bar')].map((b) => b.getBoundingClientRect().width)),
        tall: Math.max(...[...g.querySelectorAll('.bar')].map((b) => b.getBoundingClientRect().height)),
      })),
    );
    check(`${id}: every HTTP/1.1 request is marked where it starts`, reqs.length > 0 && reqs.every((r) => r.start), `${reqs.filter((r) => !r.start).length} of ${reqs.length}`);
    const roomy = reqs.filter((r) => r.wide >= 30 && r.tall >= 10);
    const unlabelled = roomy.filter((r) => !r.label || !(r.id.startsWith(r.label.replace('…', ''))));
    check(`${id}: every HTTP/1.1 request with room for words has its name on its bar`, unlabelled.length === 0, JSON.stringify(unlabelled.slice(0, 3)));
  }

  // Pipelined requests leave together: each arrow is its own, none drawn over another.
  await open(page, base, 'textbook');
  await page.locator('[data-testid=input-pipelining]').check();
  await page.locator('[data-testid=ladder-connection]').selectOption('http/1.1 1');
  await page.waitForTimeout(50);
  const arrows = await page.$$eval('[data-testid=ladder] .pkt line:not(.hit)', (ls) => ls.map((l) => ['x1', 'y1', 'x2', 'y2'].map((a) => l.getAttribute(a)).join(',')));
  const duplicates = arrows.filter((a, i) => arrows.indexOf(a) !== i);
  check('pipelining: no two ladder arrows drawn on top of each other', arrows.length > 0 && duplicates.length === 0, `${duplicates.length} of ${arrows.length}: ${duplicates.slice(0, 3).join(' | ')}`);
  await page.locator('[data-testid=input-pipelining]').uncheck();

  // The preset picker shows its whole choice.
  const picker = await pickerRoom(page);
  check('the preset picker is wide enough for every preset\'s title', picker.widest <= picker.room, JSON.stringify(picker));

  // The why panel: one time format, no line said twice, the RST once per time.
  await open(page, base, 'api-polling');
  await page.locator('[data-testid=lanes] .proto-group[data-protocol="http/1.1"] .lost-request').first().hover();
  const why = await page.$$eval('[data-testid=why] li', (lis) => lis.map((li) => ({ at: li.querySelector('.why-at').textContent, text: li.textContent })));
  const when = await page.locator('[data-testid=why] .why-when').innerText();
  check('why: every line has its time, in the one format', why.length > 2 && why.every((l) => TIME.test(l.at)), JSON.stringify(why.map((l) => l.at)));
  check('why: the span uses the same format', when.split(/ → | \(|\)/).filter(Boolean).every((part) => TIME.test(part.trim())), when);
  check('why: no line is said twice', new Set(why.map((l) => l.text)).size === why.length, JSON.stringify(why.map((l) => l.text)));
  check('why: the race\'s reset is told', why.some((l) => /RST/.test(l.text)), JSON.stringify(why.map((l) => l.text)));

  // Speed keys: ] from Fit plays faster than Fit, [ comes back to Fit.
  await open(page, base, 'textbook');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  const end = Number(await page.locator('[data-testid=scrub]').getAttribute('max'));
  const fit = end / 4000;
  const factors = await page.$$eval('[data-testid=speed] option', (os) => os.map((o) => o.value).filter((v) => v !== 'fit').map(Number));
  const faster = Math.min(...factors.filter((f) => f > fit));
  await page.keyboard.press(']');
  check('] from Fit goes to the next faster speed', Number(await page.locator('[data-testid=speed]').inputValue()) === faster, `${await page.locator('[data-testid=speed]').inputValue()} (Fit is ${fit}×)`);
  await page.keyboard.press('[');
  check('[ comes back to Fit', (await page.locator('[data-testid=speed]').inputValue()) === 'fit');

  // "Until connections close" is kept in the link.
  await page.locator('[data-testid=follow-closes]').check();
  const longer = Number(await page.locator('[data-testid=scrub]').getAttribute('max'));
  const url = await page.evaluate(() => location.href);
  check('the address keeps "Until connections close"', /[?&]closes=1/.test(url) && longer > end, url);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lanes]');
  check('a link with closes=1 opens with it on', await page.locator('[data-testid=follow-closes]').isChecked());
  await context.close();
}

// ---- 4. Accessibility ----
async function accessibility() {
  const { browser, base, check, watch, open, presets } = t;
  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme: scheme });
    const page = await context.newPage();
    watch(page, `a11y ${scheme}`);
    for (const id of presets) {
      await open(page, base, id);
      const violations = await axeViolations(page);
      check(`axe-core, ${id}, ${scheme} mode: no violations`, violations.length === 0, violations.join('\n    '));
      // Words on bars: 4.5:1 against the bar under them.
      const pairs = await page.$$eval('[data-testid=lanes] .bar-label', (labels) =>
        labels.map((l) => {
          const under = l.classList.contains('on-wait') ? document.querySelector('#pat-wait .ph-wait-bg') : l.closest('.req').querySelector('.ph-download');
          return [getComputedStyle(l).fill, getComputedStyle(under).fill, l.textContent];
        }),
      );
      const poor = pairs.filter(([fg, bg]) => contrast(fg, bg) < 4.5);
      check(`${id}, ${scheme}: request labels have 4.5:1 contrast on their bars`, pairs.length === 0 || poor.length === 0, poor.slice(0, 2).map(([fg, bg, text]) => `${text}: ${fg} on ${bg} = ${contrast(fg, bg).toFixed(2)}`).join('; '));
      const unnamed = await page.$$eval('[data-item]', (els) => els.filter((e) => !(e.getAttribute('aria-label') || e.textContent).trim()).length);
      check(`${id}, ${scheme}: every bar, mark and packet has an accessible name`, unnamed === 0, `${unnamed} without`);
    }
    // The embed and the docs page too.
    await page.goto(`${base}/?v=1&p=textbook&embed=1&views=totals-lanes-waterfall-ladder`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid=lanes]');
    const embed = await axeViolations(page);
    check(`axe-core, embed with every view, ${scheme} mode: no violations`, embed.length === 0, embed.join('\n    '));
    await context.close();
  }

  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  watch(page, 'keyboard');
  await open(page, base, 'textbook');
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el.tagName, testid: el.dataset?.testid ?? null, id: el.id, text: (el.textContent || '').trim().slice(0, 60), item: el.getAttribute('data-item'), inLanes: !!el.closest('[data-testid=lanes]') };
  });
  // Presses Tab (or Shift+Tab) until `want(focus)` holds; how many presses it took.
  const tabTo = async (want, limit = 400, key = 'Tab') => {
    for (let i = 1; i <= limit; i++) {
      await page.keyboard.press(key);
      if (want(await focused())) return i;
    }
    return null;
  };

  // Tab stops: the whole page and the lanes alone (the skip link passes them).
  const stops = await page.evaluate(() => {
    const all = [...document.querySelectorAll('a[href], button:not(:disabled), input, select, summary, [tabindex]:not([tabindex="-1"])')];
    return { page: all.length, lanes: all.filter((e) => e.closest('[data-testid=lanes]')).length };
  });
  console.log(`measure: keyboard stops on textbook: ${stops.page} on the page, ${stops.lanes} in the lanes (a skip link passes them)`);

  // The first Tab offers the way to the player.
  await page.keyboard.press('Tab');
  const skip = await focused();
  check('the first Tab reaches "Skip to the player"', skip.tag === 'A' && /Skip to the player/.test(skip.text), JSON.stringify(skip));
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const first = await focused();
  check('Enter on it, then Tab: the player\'s first button', first.testid === 'to-start', JSON.stringify(first));

  // The lanes' skip link jumps past every bar.
  const toSkip = await tabTo((f) => f.tag === 'A' && /Skip past the lanes/.test(f.text), 60);
  check('Tab reaches "Skip past the lanes" before the lanes', toSkip !== null);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const past = await focused();
  check('Enter on it, then Tab: past the lanes', !past.inLanes && past.item === null, JSON.stringify(past));

  // A whole lesson from the keyboard alone.
  await open(page, base, 'textbook');
  const load = async () => Number(await page.locator('[data-testid=total][data-metric=page_load_ms][data-protocol="http/1.1"]').getAttribute('data-value'));
  const toPreset = await tabTo((f) => f.testid === 'preset', 40);
  check('lesson: Tab reaches the preset picker', toPreset !== null, String(toPreset));
  const presetBefore = await page.locator('[data-testid=preset]').inputValue();
  await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(50);
  const presetAfter = await page.locator('[data-testid=preset]').inputValue();
  check('lesson: ↓ on the picker chooses the next preset', presetAfter !== presetBefore, `${presetBefore} → ${presetAfter}`);
  const loadBefore = await load();
  check('lesson: Tab reaches the RTT field', (await tabTo((f) => f.testid === 'input-rtt', 20)) !== null);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('180');
  // Each keystroke re-simulates ("1", "18", "180"): wait for the last one.
  let loadAfter = await load();
  for (let i = 0; i < 60 && !(loadAfter > loadBefore); i++) {
    await page.waitForTimeout(50);
    loadAfter = await load();
  }
  check('lesson: typing a longer RTT re-simulates (a longer page load)', loadAfter > loadBefore, `${loadBefore} → ${loadAfter}`);
  check('lesson: Tab reaches Play', (await tabTo((f) => f.testid === 'play', 60)) !== null);
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  check('lesson: Enter on Play plays', (await page.locator('[data-testid=play]').getAttribute('data-playing')) === 'true');
  await page.keyboard.press('Enter');
  const paused = await t.playhead(page);
  check('lesson: Enter again pauses', (await page.locator('[data-testid=play]').getAttribute('data-playing')) === 'false' && paused > 0);
  await page.keyboard.press('ArrowRight');
  check('lesson: → steps to the next event', (await t.playhead(page)) > paused);
  await page.keyboard.press('+');
  check('lesson: + zooms', (await zoomWindow(page)) !== null);
  await page.keyboard.press('0');
  const bar = await tabTo((f) => f.inLanes && f.item !== null, 80);
  const why = await page.locator('[data-testid=why]').innerText();
  check('lesson: Tab reaches a bar in the lanes and the why panel explains it', bar !== null && /connection/.test(why), why.slice(0, 120));
  await page.keyboard.press('z');
  check('lesson: Z zooms to what is explained', (await zoomWindow(page)) !== null);
  const copy = await tabTo((f) => f.testid === 'copy-link', 200, 'Shift+Tab');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=share-status]', { hasText: 'copied' }).waitFor({ timeout: 5000 }).catch(() => {});
  const link = await page.evaluate(() => navigator.clipboard.readText());
  check('lesson: Shift+Tab reaches Copy link; Enter copies a link with the zoom and the new RTT', copy !== null && /[?&]z=/.test(link) && /[?&]rtt=180/.test(link), link);
  await context.close();
}

// ---- 5. Screenshots to look at: every preset, 1280×720 and 360 px, light and dark ----
async function screenshots() {
  const { browser, base, check, watch, open, presets, shots } = t;
  for (const scheme of ['light', 'dark']) {
    const desktop = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme: scheme });
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: scheme });
    const [d, p] = [await desktop.newPage(), await phone.newPage()];
    watch(d, `screens ${scheme}`);
    watch(p, `phone ${scheme}`);
    for (const id of presets) {
      await open(d, base, id);
      await d.screenshot({ path: path.join(shots, `${id}-1280x720-${scheme}.png`) });
      await open(p, base, id);
      await p.screenshot({ path: path.join(shots, `${id}-360-${scheme}.png`), fullPage: true });
      const phoneOk = await p.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        play: document.querySelector('[data-testid=play]').getBoundingClientRect().height,
      }));
      check(`${id}, 360 px, ${scheme}: no sideways scrolling, a Play button one can tap`, phoneOk.overflow <= 1 && phoneOk.play >= 32, JSON.stringify(phoneOk));
      if (id === presets[0]) {
        const picker = await pickerRoom(p);
        check(`360 px, ${scheme}: the preset picker shows whole titles inside the screen`, picker.inside && picker.widest <= picker.room, JSON.stringify(picker));
      }
    }
    await desktop.close();
    await phone.close();
  }
}
