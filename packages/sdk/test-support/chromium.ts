/**
 * Debian's chromium, headless, driven by playwright-core: the browser the SDK's and the server's page
 * tests run in. A machine without it fails the test with the command that installs it.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function assertChromium(): void {
  assert.ok(existsSync(CHROMIUM), `the browser test needs Debian's chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run installs it)`);
}

export async function launchChromium(): Promise<Browser> {
  assertChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
