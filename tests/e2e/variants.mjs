// Variants on one clock (issue 12, item 1), in the full build. Expected
// figures are K&R's closed forms for the textbook page (base + N = 10
// objects, RTT 100 ms, infinite bandwidth): non-persistent 2(N + 1)·RTT =
// 2,200 ms; five in parallel 2·RTT + ⌈N/5⌉·2·RTT = 600 ms; two in parallel
// 2·RTT + ⌈N/2⌉·2·RTT = 1,200 ms; persistent (N + 2)·RTT = 1,200 ms;
// pipelined 3·RTT = 300 ms.

import { axeViolations } from './axe.mjs';
import { builds } from './hol.mjs';

const loads = (page) =>
  page.$$eval('[data-testid=variants-table] tbody tr', (rows) => rows.map((r) => [r.dataset.variant, Number(r.dataset.pageLoad)]));


export async function variantsView({ browser, base, check, watch, download, shots, path, axe }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  const page = await context.newPage();
  watch(page, 'variants');
  const fetched = builds(page);
  await page.goto(`${base}/?v=1&p=textbook&show=10-11-2`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lanes] .lane-row', { timeout: 30000 });
  await Promise.all([page.waitForURL(/var=/, { timeout: 30000 }), page.locator('[data-testid=open-variants]').click()]);
  await page.waitForSelector('[data-testid=variants-table]', { timeout: 30000 });
  check('Variants opens the variants view in the full build', fetched.h3(), fetched.names());
  const start = await loads(page);
  const expected = [['non-persistent', 2200], ['non-persistent ×5', 600], ['persistent', 1200], ['pipelined', 300]];
  check('K&R\'s four answers on one clock: 2(N+1), 2 + 2⌈N/5⌉, N + 2 and 3 RTT', JSON.stringify(start) === JSON.stringify(expected), JSON.stringify(start));
  // They play in the player: a column each in the lanes, the totals and the waterfall's tabs.
  const columns = await page.evaluate(() => ({
    groups: [...document.querySelectorAll('[data-testid=lanes] .proto-group')].map((g) => Number(g.dataset.pageLoad)),
    titles: [...document.querySelectorAll('.timeline.overlay .group-title')].map((t) => t.textContent.split(' · ')[0]),
    totals: [...document.querySelectorAll('.totals thead th.proto')].map((th) => th.textContent),
    tabs: [...document.querySelectorAll('[data-testid^=waterfall-v]')].map((b) => b.textContent),
    shown: [...document.querySelectorAll('[data-testid^=show-]')].filter((c) => c.disabled).length,
  }));
  const labels = expected.map((e) => e[0]);
  check('the variants play in the lanes, one group each at its page load', JSON.stringify(columns.groups) === JSON.stringify(expected.map((e) => e[1])) && JSON.stringify(columns.titles) === JSON.stringify(labels), JSON.stringify(columns));
  check('the totals have a column per variant, the waterfall a tab per variant', JSON.stringify(columns.totals) === JSON.stringify(labels) && JSON.stringify(columns.tabs) === JSON.stringify(labels), JSON.stringify(columns));
  check('the protocol checkboxes step aside while the variants play', columns.shown === 4, String(columns.shown));
  const saving = await page.$eval('.totals tr.saving th .metric', (el) => el.textContent);
  check('savings are counted from the first variant', saving === 'Saving vs non-persistent', saving);
  // Play runs them on one clock: the playhead moves and stops at the slowest.
  await page.locator('[data-testid=play]').click();
  await page.waitForTimeout(600);
  await page.locator('[data-testid=play]').click();
  const moving = Number(await page.$eval('[data-testid=playhead]', (o) => o.dataset.value));
  check('Play runs the variants on one clock from the start', moving > 0 && moving < 2200, String(moving));
  const violations = await axeViolations(page, axe);
  check('axe-core, the variants view: no violations', violations.length === 0, violations.join('\n    '));
  await page.locator('[data-testid=variants-view]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'variants-1280x720.png') });

  // Request by request: keep-alive has object k k·RTT earlier than
  // non-persistent (it ends at (k + 2)·RTT against 2(k + 1)·RTT).
  await page.locator('[data-testid=variant-deltas] summary').click();
  await page.selectOption('[data-testid=delta-b]', '2');
  const earlier = await page.$$eval('[data-testid=variant-deltas] tbody tr', (rows) => rows.map((r) => Number(r.dataset.earlierMs)));
  const kRtt = earlier.map((_, k) => k * 100);
  check('request by request, keep-alive has object k k·RTT earlier', JSON.stringify(earlier) === JSON.stringify(kRtt), JSON.stringify(earlier));
  const words = await page.$eval('[data-testid=variant-deltas] tbody tr:nth-child(4) td:last-child', (td) => td.textContent);
  check('the difference in words: "300 ms earlier"', words === '300 ms earlier', words);
  // The same on hover in the player's lanes: the persistent group's img3 (k = 3) says 3·RTT earlier than the first variant.
  await page.keyboard.press('End');
  await page.locator('[data-testid=lanes] .proto-group').nth(2).locator('g.req[data-request="img3.png"] rect.lane-wait').hover();
  const hover = await page.locator('[data-testid=why]').innerText();
  check('hovering a request in a later variant\'s lanes: "300 ms earlier than non-persistent"', /^persistent · img3\.png/.test(hover) && hover.includes('300 ms earlier than non-persistent'), hover);

  // A setting the controls refuse is said beside its row; the text stays and nothing changes.
  const before = page.url();
  await page.fill('[data-testid=variant-1]', 'non-persistent ×5:protocol=1.0,cl=0');
  await page.locator('[data-testid=variants-apply]').click();
  const bad = await page.$eval('[data-testid=variant-1]', (el) => ({
    value: el.value,
    invalid: el.getAttribute('aria-invalid'),
    message: document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '',
  }));
  check('a bad variant is refused beside its field, the text kept', bad.value.endsWith('cl=0') && bad.invalid === 'true' && bad.message.startsWith('cl'), JSON.stringify(bad));
  check('nothing is applied while a variant is bad', page.url() === before, page.url());

  // Rename, reorder, remove, add, then apply: the link and the table follow.
  await page.fill('[data-testid=variant-1]', 'two at a time:protocol=1.0,cl=2');
  await page.locator('[aria-label="Move variant 2 up"]').click();
  await page.locator('[data-testid=variant-3-remove]').click();
  await page.locator('[data-testid=variant-add]').click();
  await page.fill('[data-testid=variant-3]', 'HTTP/2:protocol=2');
  await page.locator('[data-testid=variants-apply]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=variants-table] tbody tr')?.dataset.variant === 'two at a time');
  const edited = await loads(page);
  check('renamed, moved up, one removed, one added', JSON.stringify(edited.map((r) => r[0])) === JSON.stringify(['two at a time', 'non-persistent', 'persistent', 'HTTP/2']), JSON.stringify(edited));
  check('two connections at a time: 2·RTT + ⌈N/2⌉·2·RTT = 1,200 ms', edited[0][1] === 1200, JSON.stringify(edited));
  const link = page.url();
  check('the link carries the variants in order', link.indexOf('two%20at%20a%20time') < link.indexOf('var=non-persistent') && link.includes('HTTP%2F2'), link);

  // The link opens the same variants, and the SVG download draws them.
  const again = await context.newPage();
  watch(again, 'variants, from its link');
  await again.goto(link, { waitUntil: 'load' });
  await again.waitForSelector('[data-testid=variants-table]', { timeout: 30000 });
  check('the link opens the same variants and figures', JSON.stringify(await loads(again)) === JSON.stringify(edited));
  const file = await download(again, 'export-svg-variants');
  const text = file.body.toString();
  check('the variants download as SVG, one group per variant', file.name.endsWith('-variants.svg') && (text.match(/class="protocol-group"/g) ?? []).length === 4 && text.includes('two at a time: page load'), file.name);
  await again.close();

  // Close takes the view and the variants out of the link.
  await page.locator('[data-testid=close-variants]').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=variants-view]'));
  check('Close takes the variants out of the link', !page.url().includes('var='), page.url());
  await context.close();

  // An embed shows them without the editor; a phone scrolls them inside the card.
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const small = await phone.newPage();
  watch(small, 'variants, 360 px embed');
  await small.goto(`${link}&embed=1`, { waitUntil: 'load' });
  await small.waitForSelector('[data-testid=variants-table]', { timeout: 30000 });
  check('an embed shows the variants without the editor', (await small.$$('[data-testid=variants-apply]')).length === 0);
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('variants at 360 px: the page does not scroll sideways', overflow <= 0, `${overflow} px`);
  await small.locator('[data-testid=variants-view]').scrollIntoViewIfNeeded();
  await small.screenshot({ path: path.join(shots, 'variants-360.png') });
  await phone.close();
}
