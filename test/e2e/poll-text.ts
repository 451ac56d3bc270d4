/**
 * What an element reads now, for `expect.poll`: every element the locator matches, their texts
 * joined, '' when there is none yet — at once, never waiting. A locator's own textContent() waits
 * for its element (Playwright's 30 s by default) and fails when two match, so a poll on it could
 * hang the test past its timeout instead of asking again and failing with the text it saw.
 */
import type { Locator } from 'playwright-core';

export async function textOf(locator: Locator): Promise<string> {
  return (await locator.allTextContents()).join('\n');
}
