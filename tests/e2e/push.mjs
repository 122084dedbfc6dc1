// Push over a persistent connection (issue 14, item 4): the live-scores
// preset lives in the full build (its engine has the feature `push`), so the
// first-load picker offers it and opens it there. Expected figures come from
// the preset's definition (crates/reuse-sim/src/presets.rs: 8 events, a
// poll every 5 s, RTT 100 ms, no serialization time, TLS 1.3) and the ways'
// closed forms (README, "Push over a persistent connection"), never from a
// previous run.

import { builds } from './hol.mjs';
import { axeViolations } from './axe.mjs';

const RTT = 100;
const EVENTS = 8;
const POLLS = Math.ceil(41000 / 5000) + 1;
const WAYS = ['new connection per poll (HTTP/1.0)', 'poll over keep-alive (HTTP/1.1)', 'long poll (HTTP/1.1)', 'server-sent events (HTTP/1.1)', 'HTTP/2 stream (HTTP/2)'];

// "2.294 s" / "56.2 ms" -> milliseconds.
const ms = (text) => {
  const m = /([\d.]+)\s*(ms|s)/.exec(text);
  return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : NaN;
};

export async function pushView({ browser, base, check, watch, shots, path, axe }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  watch(page, 'push view');
  const fetched = builds(page);
  await page.goto(`${base}/?v=1&p=textbook`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lanes] .lane-row', { timeout: 30000 });
  const offered = await page.$$eval('[data-testid=preset] option', (os) => os.map((o) => o.value));
  check('the first-load picker offers live-scores', offered.includes('live-scores'), offered.join(','));
  await Promise.all([page.waitForURL(/p=live-scores/, { timeout: 30000 }), page.locator('[data-testid=preset]').selectOption('live-scores')]);
  await page.waitForSelector('[data-testid=push-view] svg', { timeout: 30000 });
  check('picking live-scores opens the full build', fetched.h3(), fetched.names());
  check('the picker shows live-scores after the move', (await page.locator('[data-testid=preset]').inputValue()) === 'live-scores');

  // The protocols' own lanes: a poll every 5 s, a new connection each over HTTP/1.0.
  const rows = await page.$$eval('[data-testid=lanes] .proto-group', (gs) => Object.fromEntries(gs.map((g) => [g.dataset.protocol, g.querySelectorAll('.lane-row').length])));
  check(`live-scores: HTTP/1.0 opens a connection per poll (${POLLS}), HTTP/1.1 and HTTP/2 one`, rows['http/1.0'] === POLLS && rows['http/1.1'] === 1 && rows.h2 === 1, JSON.stringify(rows));

  const table = await page.$$eval('[data-testid=push-way]', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  check('five ways, in order', JSON.stringify(table.map((r) => r[0])) === JSON.stringify(WAYS), table.map((r) => r[0]).join(' | '));
  if (table.length === 5) {
    const mean = table.map((r) => ms(r[1]));
    check('a held-open stream hands each event over RTT/2 after it happens (SSE and HTTP/2: 50 ms)', mean[3] === RTT / 2 && mean[4] === RTT / 2, `${mean[3]} ${mean[4]}`);
    check('a poll on a new connection arrives 2 RTT later than one over keep-alive (TCP + TLS 1.3)', Math.abs(mean[0] - mean[1] - 2 * RTT) < 1, `${mean[0]} - ${mean[1]}`);
    check('long polls: every event RTT/2 late but the one 50 ms after another, a round trip late', Math.abs(mean[2] - (7 * RTT / 2 + RTT) / EVENTS) < 0.1, String(mean[2]));
    check('connections: one per poll, else one', table[0][5] === String(POLLS) && table.slice(1).every((r) => r[5] === '1'), table.map((r) => r[5]).join(','));
    check('requests: polls for 41 s, a long poll per event, one stream', table[0][4].startsWith(`${POLLS} `) && table[2][4].startsWith(`${EVENTS} `) && table[3][4].startsWith('1 '), table.map((r) => r[4]).join(','));
  }
  const bars = await page.$$eval('[data-testid=push-view] [data-event]', (rs) => rs.length);
  check(`the picture: a bar per event per way (${5 * EVENTS})`, bars === 5 * EVENTS, String(bars));

  const violations = await axeViolations(page, axe);
  check('axe-core, the server\'s events: no violations', violations.length === 0, violations.join('\n    '));
  await page.locator('[data-testid=push-view]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'push-view-1280x720.png') });
  await context.close();

  // A phone, in dark mode: the table scrolls inside its card, the picture is inverted.
  const phone = await browser.newContext({ viewport: { width: 360, height: 720 }, colorScheme: 'dark' });
  const small = await phone.newPage();
  watch(small, 'push view, 360 px dark');
  await small.goto(`${base}/?v=1&p=live-scores`, { waitUntil: 'load' });
  await small.waitForSelector('[data-testid=push-view] svg', { timeout: 30000 });
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('360 px: the page itself does not scroll sideways', overflow <= 0, `${overflow}px`);
  const filter = await small.$eval('[data-testid=push-view] svg', (el) => getComputedStyle(el).filter);
  check('dark mode: the events picture is inverted to match the page', filter.includes('invert'), filter);
  await small.locator('[data-testid=push-view]').scrollIntoViewIfNeeded();
  await small.screenshot({ path: path.join(shots, 'push-view-360-dark.png') });
  await phone.close();
}
