// What the user would notice as broken: an error message on the page, or an error in the
// browser console (a response that breaks the contract logs one). After every step the runner
// calls `assertNothingWrong`; a step that breaks things on purpose sets `allowErrors: true`.
import assert from 'node:assert/strict';

const VISIBLE_ERRORS = '.error-message, .route-error';

/** Record console errors and uncaught page errors of `page` into `ctx.state.problems`. */
export function watchPage(ctx, page, label) {
  ctx.state.pages ??= [];
  ctx.state.problems ??= [];
  ctx.state.pages.push({ page, label });
  page.on('console', (message) => {
    if (message.type() === 'error') ctx.state.problems.push(`[${label}] console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => ctx.state.problems.push(`[${label}] page error: ${error.message}`));
}

/** Fail on any recorded console error, and on any error message shown on an open page. */
export async function assertNothingWrong(ctx, step) {
  const problems = (ctx.state.problems ?? []).splice(0);
  if (step.allowErrors) {
    if (problems.length) ctx.log(`${problems.length} browser errors allowed in this step, first: ${problems[0]}`);
  } else {
    assert.deepEqual(problems, [], `the browser reported errors:\n${problems.join('\n')}`);
  }
  for (const { page, label } of ctx.state.pages ?? []) {
    if (page.isClosed()) continue;
    const shown = await page.locator(VISIBLE_ERRORS).allInnerTexts();
    if (step.allowErrors) continue;
    assert.deepEqual(shown, [], `[${label}] the page shows an error: ${shown.join(' | ')}`);
  }
}
