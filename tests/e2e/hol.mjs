// Head-of-line blocking (issue 11, item 2) and HTTP/3 (issue 10) in the
// app: the held-back phase in the waterfall, the lanes, the legend, the
// totals and the "why" panel. Called from e2e.mjs with its helpers; every
// check here can fail. Expected figures come from the engine's own result
// fields read on the page or from formulas, never from a previous run.

let t; // the helpers from e2e.mjs

export async function headOfLine(helpers) {
  t = helpers;
  await heldPhase();
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
  const fills = await page.$$eval('.legend li .bar', (bars) => bars.map((b) => getComputedStyle(b).fill));
  const heldFill = await page.$eval('.legend li .bar.ph-held', (b) => getComputedStyle(b).fill);
  check('the held phase has a pattern of its own', /pat-held/.test(heldFill) && fills.filter((f) => f === heldFill).length === 1, heldFill);

  // The "why" panel says what the engine says about the hold.
  await page.locator('[data-testid=lanes] .proto-group[data-protocol=h2] .bar.ph-held').first().focus();
  const why = page.locator('[data-testid=why]');
  await why.getByText(/wait behind/).first().waitFor({ timeout: 5000 }).catch(() => {});
  const text = await why.innerText();
  check('the why panel gives the engine\'s words for a held response', /Held behind a lost packet/.test(text) && /arrived but wait behind (a )?lost packet/.test(text) && /go up at once/.test(text), text.slice(0, 300));
  await context.close();
}
