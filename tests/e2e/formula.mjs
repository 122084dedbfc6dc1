// The closed form beside the result (issue 12, item 2), in the first-load
// build: the totals' "Closed form" works each shown protocol's textbook
// formula with the scenario's numbers in the export worker. Expected
// figures are Kurose & Ross's (chapter 2, a base file and 8 small objects at
// RTT 100 ms, transmission time neglected): non-persistent serial
// 2(N + 1)·RTT = 1,800 ms, persistent without pipelining (N + 2)·RTT =
// 1,000 ms, and HTTP/2's streams on one connection 3·RTT = 300 ms.

import { axeViolations } from './axe.mjs';

const receipts = (page) =>
  page.$$eval('[data-testid=closed-form] .receipt', (rs) =>
    Object.fromEntries(rs.map((r) => [r.dataset.protocol, { agrees: r.dataset.agrees, expected: Number(r.dataset.expectedMs), text: r.textContent }])),
  );

async function waitReceipts(page, predicate, detail) {
  const start = Date.now();
  for (;;) {
    const now = await receipts(page);
    if (predicate(now)) return now;
    if (Date.now() - start > 30000) throw new Error(`receipts never became ${detail}: ${JSON.stringify(now)}`);
    await page.waitForTimeout(50);
  }
}

export async function closedFormView({ browser, base, check, watch, shots, path, axe }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  watch(page, 'closed form');
  const kr = `${base}/?v=1&p=textbook&rtt=100&bw=&loss=0&n=8&kb=1&iw=10&tls=none&ka=5000&cl=1&pl=0&show=10-11-2&cf=1`;
  await page.goto(kr, { waitUntil: 'load' });
  const first = await waitReceipts(page, (r) => Object.keys(r).length === 3, 'three');
  check('K&R: non-persistent serial 2(N + 1)·RTT = 1,800 ms, and the simulation agrees',
    first['http/1.0'].expected === 1800 && first['http/1.0'].agrees === 'true' && first['http/1.0'].text.includes('2(N + 1)·RTT = 2 × (8 + 1) × 100 ms'), JSON.stringify(first['http/1.0']));
  check('K&R: persistent without pipelining (N + 2)·RTT = 1,000 ms', first['http/1.1'].expected === 1000 && first['http/1.1'].agrees === 'true', JSON.stringify(first['http/1.1']));
  check('HTTP/2 on one connection: 3·RTT = 300 ms', first.h2.expected === 300 && first.h2.agrees === 'true', JSON.stringify(first.h2));
  check('the receipts come from the export worker, not the first load', (await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))).some((n) => n.includes('reuse-export')));

  // Twice the RTT: every figure doubles, worked again.
  await page.locator('[data-testid=input-rtt]').fill('200');
  const doubled = await waitReceipts(page, (r) => r['http/1.0']?.expected === 3600, '3,600 ms for HTTP/1.0');
  check('RTT 200 ms: 2 × (8 + 1) × 200 ms = 3,600 ms', doubled['http/1.0'].agrees === 'true' && doubled['http/1.0'].text.includes('× 200 ms'), doubled['http/1.0'].text);

  // With loss there is no closed form: each protocol says why.
  await page.locator('[data-testid=input-loss]').fill('1');
  const lossy = await waitReceipts(page, (r) => Object.values(r).length === 3 && Object.values(r).every((x) => x.agrees === 'none'), 'none');
  check('with loss each protocol says there is no closed form, and why', Object.values(lossy).every((x) => /no closed form: .*loss/.test(x.text)), JSON.stringify(lossy));
  const violations = await axeViolations(page, axe);
  check('axe-core, closed forms shown: no violations', violations.length === 0, violations.join('\n    '));
  await page.locator('[data-testid=input-loss]').fill('0');
  await waitReceipts(page, (r) => r['http/1.0']?.agrees === 'true', 'back');
  await page.locator('#closed-form').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'closed-form-1280x720.png') });

  // The checkbox takes it off and puts it back, and the link says so.
  await page.locator('[data-testid=closed-form-toggle]').uncheck();
  await page.waitForFunction(() => !document.querySelector('[data-testid=closed-form]'));
  check('unchecking Closed form removes the receipts and cf=1 from the link', !page.url().includes('cf=1'), page.url());
  await page.locator('[data-testid=closed-form-toggle]').check();
  await waitReceipts(page, (r) => Object.keys(r).length === 3, 'three again');
  check('checking it puts cf=1 in the link', page.url().includes('cf=1'), page.url());
  await context.close();
}
