// Lessons, predict then play (issue 12, item 3): every step of every
// shipped lesson end to end in the full build: nothing gives the answer
// away before the reader answers (no views, no totals, the lesson's own
// address), the answer is judged, the animation stops at the step's
// moments with the engine's words, the explanation has its figures, and
// the next step opens. Typed answers come from closed forms (Kurose &
// Ross, chapter 2: a base file and N = 10 objects at RTT 100 ms), never
// from a previous run of this test.

import { readFileSync, readdirSync } from 'node:fs';
import { builds } from './hol.mjs';
import { axeViolations } from './axe.mjs';

const LESSONS = new URL('../../lessons/', import.meta.url);

// Answers a reader can work out on paper, by lesson and step (1-based).
const CLOSED_FORMS = {
  handshake: { 1: '22', 2: '12', 3: '44' }, // 2(N + 1), N + 2, 4(N + 1) round trips
  'tls-and-quic': { 1: '13', 2: '14', 3: '1', 4: '2' }, // 3 + N, 4 + N; QUIC 1, 2 over the 3× limit
  'connection-limit': { 1: '6', 2: '8' }, // min(6, N + 1) connections; (H + 1) + j round trips, j = 6
  pipelining: { 1: '3' }, // 2 + 1 round trips
  'keepalive-timeout': { 2: '1', 3: '1' }, // the preset's one race; one connection with a 15 s timeout
};

const state = (page) =>
  page.evaluate(() => ({
    cards: [...document.querySelectorAll('#views .card')].map((c) => c.dataset.testid ?? c.getAttribute('aria-labelledby')),
    totals: document.querySelectorAll('[data-testid=total]').length,
    player: !!document.querySelector('[data-testid=play]'),
    why: !!document.querySelector('[data-testid=why]'),
    editor: !!document.querySelector('aside[aria-label="Scenario settings"]'),
    search: location.search,
  }));

async function answerStep(page, id, step, spec, check) {
  const kind = spec.answer.kind;
  const closed = CLOSED_FORMS[id]?.[step];
  if (kind === 'first') {
    const choice = page.locator('[data-testid^=lesson-choice-]').first();
    const label = (await choice.locator('xpath=..').textContent()).trim();
    await choice.check();
    await page.locator('[data-testid=lesson-submit]').click();
    const verdict = await page.locator('[data-testid=lesson-verdict]').textContent();
    const named = verdict.includes(`${label} finishes first`);
    check(`${id} ${step}: "which first" is judged by the engine's winner`, verdict.startsWith(named ? 'Right.' : 'Not quite.'), `${label}: ${verdict}`);
  } else if (closed) {
    await page.locator('[data-testid=lesson-reply]').fill(closed);
    await page.locator('[data-testid=lesson-reply]').press('Enter');
    const verdict = await page.locator('[data-testid=lesson-verdict]').textContent();
    check(`${id} ${step}: the closed form (${closed}) is judged right`, verdict.startsWith('Right.') && verdict.includes(closed), verdict);
  } else {
    await page.locator('[data-testid=lesson-show]').click();
    const verdict = await page.locator('[data-testid=lesson-verdict]').textContent();
    check(`${id} ${step}: "Show me" gives the engine's answer without a verdict`, !/^(Right|Not quite)/.test(verdict) && verdict.length > 10, verdict);
  }
}

async function playThrough(page, id, step, spec, check) {
  const stops = [];
  for (let i = 0; i < 12; i++) {
    await page.waitForSelector('[data-testid=play][data-playing=false]', { timeout: 60000 });
    const title = await page.locator('[data-testid=why] .why-title strong').textContent().catch(() => '');
    const at = await page.locator('[data-testid=playhead]').textContent().catch(() => '');
    const end = await page.evaluate(() => {
      const scrub = document.querySelector('[data-testid=scrub]');
      return scrub ? Number(scrub.value) >= Number(scrub.max) - 1e-6 : true;
    });
    if (title.startsWith('Paused:')) stops.push(`${title} ${at}`);
    if (end) break;
    await page.locator('[data-testid=play]').click();
    await page.waitForTimeout(30);
  }
  const wanted = (spec.pause_at ?? []).length;
  check(`${id} ${step}: the animation stopped at its moments (${(spec.pause_at ?? []).join(', ') || 'none'})`,
    wanted === 0 ? stops.length === 0 : stops.length >= 1 && stops.every((s) => s.startsWith('Paused:')), stops.join(' | '));
}

export async function lessons({ browser, base, check, watch, shots, path, axe }) {
  const files = readdirSync(LESSONS).filter((f) => f.endsWith('.json')).sort();
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  watch(page, 'lessons');
  const fetched = builds(page);

  // The list, from the first screen's link.
  await page.goto(`${base}/?v=1&p=textbook&show=10-11-2`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lanes] .lane-row', { timeout: 30000 });
  await Promise.all([page.waitForURL(/lesson=/, { timeout: 30000 }), page.locator('header a[href="?lesson="]').click()]);
  await page.waitForSelector('[data-testid=lesson-list]', { timeout: 30000 });
  const listed = await page.$$eval('[data-testid=lesson-list] li a', (as) => as.map((a) => a.getAttribute('href')));
  check('the Lessons link lists every lesson file, in the full build', listed.length === files.length && fetched.h3(), `${listed} vs ${files}`);

  for (const file of files) {
    const spec = JSON.parse(readFileSync(new URL(file, LESSONS), 'utf8'));
    for (let n = 1; n <= spec.steps.length; n++) {
      const step = spec.steps[n - 1];
      await page.goto(`${base}/?lesson=${spec.id}&step=${n}`, { waitUntil: 'load' });
      await page.waitForSelector('[data-testid=lesson-question]', { timeout: 30000 });
      const before = await state(page);
      check(`${spec.id} ${n}: before the answer, only the question (no views, totals, player, editor; the lesson's address)`,
        JSON.stringify(before.cards) === '["lesson-waiting"]' && before.totals === 0 && !before.player && !before.why && !before.editor
          && before.search === `?lesson=${spec.id}&step=${n}`,
        JSON.stringify(before));
      check(`${spec.id} ${n}: the question is the file's`, (await page.locator('[data-testid=lesson-question]').textContent()) === step.question);
      await page.keyboard.press('Space');
      check(`${spec.id} ${n}: Space does not play before the answer`, !(await state(page)).player);
      await answerStep(page, spec.id, n, step, check);
      const after = await state(page);
      check(`${spec.id} ${n}: the answer shows the views and the totals`, after.player && after.totals > 0 && after.cards.length >= 3, JSON.stringify(after));
      await playThrough(page, spec.id, n, step, check);
      const explain = await page.locator('[data-testid=lesson-explain]').textContent();
      check(`${spec.id} ${n}: the explanation has the run's figures`, explain.length > 40 && !/[{}]/.test(explain), explain);
      if (n < spec.steps.length) {
        await page.locator('[data-testid=lesson-next]').click();
        await page.waitForURL(new RegExp(`step=${n + 1}$`), { timeout: 10000 });
        check(`${spec.id} ${n}: Next opens step ${n + 1} unanswered`, (await state(page)).totals === 0);
      }
    }
  }

  // A wrong number is judged wrong; text that is no number keeps what was typed and says why.
  await page.goto(`${base}/?lesson=handshake&step=1`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lesson-reply]', { timeout: 30000 });
  await page.locator('[data-testid=lesson-reply]').fill('twenty');
  await page.locator('[data-testid=lesson-submit]').click();
  check('a reply that is no number is refused inline and kept',
    (await page.locator('[data-testid=lesson-reply-error]').textContent()) === 'type a number'
      && (await page.locator('[data-testid=lesson-reply]').inputValue()) === 'twenty');
  const violations = () => axeViolations(page, axe);
  const asked = await violations();
  check('axe-core, a lesson\'s question: no violations', asked.length === 0, asked.join('\n    '));
  await page.screenshot({ path: path.join(shots, 'lesson-question-1280x720.png') });

  // The keyboard alone: Tab to the reply, type, Enter.
  await page.goto(`${base}/?lesson=handshake&step=1`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=lesson-reply]', { timeout: 30000 });
  let reached = false;
  for (let i = 0; i < 20 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.dataset?.testid === 'lesson-reply');
  }
  await page.keyboard.type('21');
  await page.keyboard.press('Enter');
  const verdict = await page.locator('[data-testid=lesson-verdict]').textContent().catch(() => '');
  check('the keyboard reaches the reply; 21 round trips is not 2(N + 1) = 22', reached && verdict.startsWith('Not quite.') && verdict.includes('22 round trips'), verdict);
  await page.waitForSelector('[data-testid=play][data-playing=false]', { timeout: 30000 });
  const answered = await violations();
  check('axe-core, an answered step (views, stop explained): no violations', answered.length === 0, answered.join('\n    '));
  await page.screenshot({ path: path.join(shots, 'lesson-answered-1280x720.png') });
  await context.close();

  // Embedded in docs, and on a phone.
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const small = await phone.newPage();
  watch(small, 'lessons 360');
  await small.goto(`${base}/?lesson=multiplexing-loss&step=2&embed=1`, { waitUntil: 'load' });
  await small.waitForSelector('[data-testid=lesson-question]', { timeout: 30000 });
  check('an embedded lesson has no page header', !(await small.$('header.top')) && (await state(small)).totals === 0);
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check('a lesson at 360 px fits the width', overflow <= 0, `${overflow}px too wide`);
  await small.screenshot({ path: path.join(shots, 'lesson-embed-360.png'), fullPage: true });
  await small.locator('[data-testid=lesson-choice-11]').check();
  await small.locator('[data-testid=lesson-submit]').click();
  await small.waitForSelector('[data-testid=lanes] .lane-row', { timeout: 30000 });
  check('the embed keeps its address and shows its views after the answer', small.url().endsWith('?lesson=multiplexing-loss&step=2&embed=1'), small.url());
  await small.screenshot({ path: path.join(shots, 'lesson-embed-answered-360.png'), fullPage: true });
  await phone.close();
}
