// Congestion control as a choice (issue 15), in the full build: a link
// with `cc=cubic` (or `cc=bbr`) opens the full build with it chosen, the runs use it
// (a different result from Reno under the preset's 2 % loss, since each
// loss cuts the window to 0.7 instead of half), and choosing Reno again
// takes `cc=` out of the address (Reno is the default a link without it
// means).

import { axeViolations } from './axe.mjs';
import { builds } from './hol.mjs';

export async function congestionControl({ browser, base, check, watch, totals, shots, path, axe }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  watch(page, 'congestion control');
  const fetched = builds(page);
  await page.goto(`${base}/?v=1&p=lossy-mobile&show=11-2&cc=cubic`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lanes] .lane-row', { timeout: 30000 });
  check('a link with cc=cubic loads the full build', fetched.h3() && !fetched.firstLoad(), fetched.names());
  const select = page.locator('[data-testid=input-cc]');
  check('the Congestion control field shows CUBIC', (await select.inputValue()) === 'cubic', await select.inputValue());
  const cubic = await totals(page, 'page_load_ms');
  const violations = await axeViolations(page, axe);
  check('axe-core, the congestion control field: no violations', violations.length === 0, violations.join('\n    '));
  await page.locator('[data-testid=input-cc]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'congestion-control-1280x720.png') });

  // The ladder's connection with its congestion window (the full build's):
  // HTTP/2's one connection under 2 % loss, each change in the trace's words.
  await page.goto(`${base}/?v=1&p=lossy-mobile&show=11-2&cc=cubic&c=2-1`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=cwnd] svg[data-view=cwnd]', { timeout: 30000 });
  const chart = await page.$eval('[data-testid=cwnd] svg', (svg) => ({
    steps: (svg.querySelector('[data-series=cwnd]')?.getAttribute('d') ?? '').split(' H').length,
    changes: [...svg.querySelectorAll('.cwnd-change title')].map((t) => t.textContent),
    lost: svg.querySelectorAll('.lost-mark title').length,
    title: svg.querySelector('title')?.textContent ?? '',
  }));
  check('the ladder shows connection 1\'s congestion window under CUBIC', chart.title.includes('connection 1') && chart.title.includes('CUBIC') && chart.steps > 10, JSON.stringify(chart).slice(0, 300));
  check('each loss cut is marked in the trace\'s words: ssthresh = 0.7 × the window', chart.changes.some((t) => t.includes('0.7 × the window (CUBIC')), chart.changes.join(' | ').slice(0, 400));
  check('the lost packets are crossed on the time axis', chart.lost >= 1, String(chart.lost));
  // The lanes draw the same window over the chosen connection's row, cut where the chart is cut.
  const lane = await page.$eval('[data-testid=lanes] .lane-row.selected .cwnd-line', (g) => ({
    steps: Number(g.dataset.steps),
    max: Number(g.dataset.maxBytes),
    conn: g.closest('.lane-row').dataset.conn,
  })).catch((e) => ({ error: String(e) }));
  check('the chosen connection\'s lane carries its congestion window', lane.conn === 'h2 1' && lane.steps > 10 && lane.max > 14600, JSON.stringify(lane));
  await page.locator('[data-testid=cwnd]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'congestion-window-1280x720.png') });
  const cwndViolations = await axeViolations(page, axe);
  check('axe-core, the congestion window: no violations', cwndViolations.length === 0, cwndViolations.join('\n    '));
  // BBR (cc=bbr) on the large download (long enough for Startup to end):
  // the same chart marks its modes, each with the model's bandwidth and
  // min RTT in the trace's words, and no ssthresh.
  await page.goto(`${base}/?v=1&p=large-download&show=11-2&cc=bbr&c=2-1`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=cwnd] svg[data-view=cwnd]', { timeout: 30000 });
  check('the Congestion control field shows BBR', (await page.locator('[data-testid=input-cc]').inputValue()) === 'bbr');
  const bbr = await page.$eval('[data-testid=cwnd] svg', (svg) => ({
    title: svg.querySelector('title')?.textContent ?? '',
    modes: [...svg.querySelectorAll('.cwnd-change[data-cause^=Bbr] title')].map((t) => t.textContent),
    ssthresh: svg.querySelectorAll('[data-series=ssthresh]').length,
    pacing: (svg.querySelector('[data-series=pacing]')?.getAttribute('d') ?? '').split(' V').length - 1,
  }));
  check('under BBR the window chart names BBR and marks Startup → Drain with the model', bbr.title.includes('BBR') && bbr.modes.some((t) => t.includes('BBR Startup → Drain') && t.includes('Model: bottleneck')) && bbr.ssthresh === 0, JSON.stringify(bbr).slice(0, 400));
  check('under BBR the chart draws the pacing rate as a step line (Startup, Drain, ProbeBW: at least 3 steps)', bbr.pacing >= 3, String(bbr.pacing));
  await page.locator('[data-testid=cwnd]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'congestion-window-bbr-1280x720.png') });
  await page.goto(`${base}/?v=1&p=lossy-mobile&show=11-2&cc=cubic`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=input-cc]', { timeout: 30000 });
  await select.selectOption('newreno');
  await page.waitForFunction(() => !location.search.includes('cc='), null, { timeout: 10000 });
  await page.waitForFunction(
    (before) => [...document.querySelectorAll('[data-testid=total][data-metric=page_load_ms]')].some((el) => Number(el.dataset.value) !== before[el.dataset.protocol]),
    cubic,
    { timeout: 10000 },
  ).catch(() => {});
  const reno = await totals(page, 'page_load_ms');
  check('Reno is another run under loss (the window halves instead of keeping 0.7)', JSON.stringify(reno) !== JSON.stringify(cubic), `${JSON.stringify(cubic)} → ${JSON.stringify(reno)}`);
  check('choosing Reno takes cc= out of the address', !page.url().includes('cc='), page.url());
  await select.selectOption('cubic');
  await page.waitForFunction(() => location.search.includes('cc=cubic'), null, { timeout: 10000 }).catch(() => {});
  check('choosing CUBIC writes cc=cubic into the address', page.url().includes('cc=cubic'), page.url());

  // RACK-TLP (RFC 8985) is on by default, as in Linux; unchecking it writes
  // rack=0 and runs again with only the three-SACK rule and the timeout.
  const rack = page.locator('[data-testid=input-rack]');
  check('RACK-TLP is on by default', await rack.isChecked());
  const withRack = await totals(page, 'page_load_ms');
  await rack.focus();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => location.search.includes('rack=0'), null, { timeout: 10000 }).catch(() => {});
  check('unchecking RACK-TLP from the keyboard writes rack=0 into the address', page.url().includes('rack=0'), page.url());
  await page.waitForFunction(
    (before) => [...document.querySelectorAll('[data-testid=total][data-metric=page_load_ms]')].some((el) => Number(el.dataset.value) !== before[el.dataset.protocol]),
    withRack,
    { timeout: 10000 },
  ).catch(() => {});
  const without = await totals(page, 'page_load_ms');
  check('without RACK-TLP the lossy page is another run', JSON.stringify(without) !== JSON.stringify(withRack), `${JSON.stringify(withRack)} → ${JSON.stringify(without)}`);
  await page.goto(page.url(), { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=input-rack]', { timeout: 30000 });
  check('a link with rack=0 opens with RACK-TLP unchecked', !(await page.locator('[data-testid=input-rack]').isChecked()));
  await context.close();
}
