// User's-eye test: the packaged .vsix installed into code-server, driven like a person would:
// open the policy from the Explorer, read the Problems panel, hover a term, apply a quick fix
// from the light-bulb menu, open the coverage view. Screenshots go to test-output/ui/.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { REPO, CS_BIN, profile, startServer, waitHttp, launchBrowser } = require('./common.cjs');

const PORT = Number(process.env.PORT || 18082);
const VSIX = process.env.VSIX || path.join(REPO, 'lgpolicy.vsix');
const SHOTS = process.env.SHOTS || path.join(REPO, 'test-output', 'ui');
const checks = [];
const check = (name, ok, detail = '') => { checks.push({ name, ok }); console.log(`  ${ok ? '✔' : '✗'} ${name}${detail ? `: ${detail}` : ''}`); };

(async () => {
  const t0 = Date.now();
  fs.mkdirSync(SHOTS, { recursive: true });
  // UI language Japanese, as our users have it.
  const p = profile({ 'locale': 'ja' });
  const ws = path.join(p.root, 'workspace');
  fs.cpSync(path.join(REPO, 'test', 'vscode', 'workspace'), ws, { recursive: true });
  let server, browser;
  try {
    execFileSync(CS_BIN, [...p.args, '--install-extension', VSIX], { env: p.env, encoding: 'utf8' });
    server = startServer(p, PORT, [ws]);
    await waitHttp(`http://127.0.0.1:${PORT}/healthz`, 60000);
    browser = await launchBrowser(p.env);
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 }, locale: 'ja-JP' });
    await page.goto(`http://127.0.0.1:${PORT}/?folder=${encodeURIComponent(ws)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });

    // 1. Open the policy from the Explorer.
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'policy.md' });
    await row.waitFor({ timeout: 30000 });
    await row.click();
    await page.locator('.editor-instance .view-lines').waitFor({ timeout: 30000 });

    // 2. The Problems panel lists our diagnostics in Japanese.
    await runCommand(page, 'workbench.actions.view.problems');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: '許可権限者' }).first();
    await problem.waitFor({ timeout: 60000 });
    const problems = await page.locator('.markers-panel').innerText();
    check('Problems panel shows the missing element in Japanese', /利用申請の許可権限者及び利用手続」が見当たりません/.test(problems));
    check('Problems panel shows the wording finding', /暗号化又はパスワード設定/.test(problems));
    await page.screenshot({ path: path.join(SHOTS, 'problems.png') });

    // 3. Hover a guideline term.
    await page.locator('.editor-instance .view-lines').click();
    await hoverWord(page, 'SLA');
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'ガイドライン該当箇所' });
    await hover.waitFor({ timeout: 20000 });
    check('hover explains SLA with its guideline section', /SLA/.test(await hover.innerText()));
    await page.waitForTimeout(700);
    await page.screenshot({ path: path.join(SHOTS, 'hover.png') });
    await page.keyboard.press('Escape');

    // 4. Quick fix from the light-bulb menu on the section heading.
    const heading = page.locator('.editor-instance .view-line', { hasText: '外部サービスの利用に係る規定の整備' }).first();
    await heading.click();
    await page.keyboard.press('Home');
    await page.keyboard.press('Control+.');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: '許可権限者' }).first();
    await item.waitFor({ timeout: 20000 });
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(SHOTS, 'quickfix.png') });
    // Choose it with the keyboard (the menu's pointer overlay swallows synthetic clicks).
    const rows = await page.locator('.action-widget .monaco-list-row').allInnerTexts();
    const index = rows.findIndex((t) => t.includes('許可権限者'));
    const focused = Math.max(0, await page.locator('.action-widget .monaco-list-row').evaluateAll((els) => els.findIndex((e) => e.classList.contains('focused'))));
    for (let i = focused; i < index; i++) await page.keyboard.press('ArrowDown');
    for (let i = focused; i > index; i--) await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const inserted = page.locator('.editor-instance .view-line', { hasText: '許可権限者' });
    await inserted.first().waitFor({ timeout: 20000 });
    const text = (await page.locator('.editor-instance .view-lines').innerText()).replace(/\u00a0/g, ' '); // Monaco renders spaces as NBSP
    await waitGone(page.locator('.markers-panel .monaco-list-row', { hasText: '許可権限者' }), 20000);
    check('the quick fix inserted the model clause as ③ and renumbered the next item', /③.*許可権限者/.test(text) && /④ 外部サービスごとの外部サービス管理者/.test(text), text.split('\n').filter((l) => /[③④]/.test(l)).join(' / '));
    check('the diagnostic went away after the fix', (await page.locator('.markers-panel .monaco-list-row', { hasText: '許可権限者' }).count()) === 0);
    await page.screenshot({ path: path.join(SHOTS, 'after-fix.png') });

    // 5. The coverage view.
    await runCommand(page, 'lgpolicy.showCoverage');
    const frame = await waitForFrame(page, 'ガイドライン対応状況', 30000);
    check('the coverage view lists sections and elements', !!frame && /記載あり/.test(await frame.locator('body').innerText()));
    await page.waitForTimeout(700);
    await page.screenshot({ path: path.join(SHOTS, 'coverage.png') });
  } catch (e) {
    console.error('UI test failed:', e);
    checks.push({ name: 'UI run', ok: false });
    try { const pg = browser && browser.contexts()[0]?.pages()[0]; if (pg) await pg.screenshot({ path: path.join(SHOTS, 'failure.png') }); } catch { /* ignore */ }
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) server.kill('SIGTERM');
    const passed = checks.filter((c) => c.ok).length;
    console.log(`[ui] ${((Date.now() - t0) / 1000).toFixed(0)}s, screenshots in ${path.relative(REPO, SHOTS)}`);
    console.log(`${passed} passed, ${checks.length - passed} failed`);
    process.exitCode = passed === checks.length && checks.length > 0 ? 0 : 1;
  }
})();

/** Runs a command by its id through the command palette's "> " mode. */
async function runCommand(page, id) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10000 });
  const titles = { 'workbench.actions.view.problems': /問題|Problems/, 'lgpolicy.showCoverage': /ガイドライン対応状況|guideline coverage/ };
  await input.fill('>' + (id === 'lgpolicy.showCoverage' ? 'LG Policy' : ''));
  if (id === 'workbench.actions.view.problems') { await page.keyboard.press('Escape'); await page.keyboard.press('Control+Shift+M'); return; }
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: titles[id] }).first();
  await row.waitFor({ timeout: 10000 });
  await row.click();
}

async function waitForFrame(page, text, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      try { if ((await f.locator('body').innerText({ timeout: 500 })).includes(text)) return f; } catch { /* not ready */ }
    }
    await page.waitForTimeout(300);
  }
  return undefined;
}

/** Moves the mouse onto the exact glyphs of `word` in the editor (a token span can hold a whole phrase). */
async function hoverWord(page, word) {
  const box = await page.evaluate((w) => {
    const walker = document.createTreeWalker(document.querySelector('.editor-instance .view-lines'), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent.indexOf(w);
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + w.length);
      const b = r.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    }
    return null;
  }, word);
  if (!box) throw new Error(`word not on screen: ${word}`);
  await page.mouse.move(box.x, box.y - 40);
  await page.mouse.move(box.x, box.y, { steps: 5 });
}

async function waitGone(locator, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end && (await locator.count()) > 0) await new Promise((r) => setTimeout(r, 200));
}
