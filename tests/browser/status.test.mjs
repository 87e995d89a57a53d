// The public status page of the demo desk on a phone, in headless Chromium, with JavaScript off as many readers'
// privacy settings have it. Saves a screenshot of the page to LIFELINE_SCREENSHOTS (CI's artifact folder) or to the
// system temp dir, prints its path, and checks the PNG is a phone-sized, non-blank image.
//   LIFELINE_BIN=build/lifeline node --test tests/browser/status.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { launchChromium, startServer, stopServer } from './support.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

// The PNG's size from its IHDR chunk, and how many distinct colours its first rows hold.
function pngFacts(bytes) {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', 'not a PNG');
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const chunks = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.subarray(at + 4, at + 8).toString('latin1');
    if (type === 'IDAT') chunks.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  const colours = new Set();
  for (let i = 0; i < Math.min(raw.length, width * 4 * 200); i += 4) colours.add(raw.readUInt32BE(i));
  return { width, height, colours: colours.size };
}

describe('the public status page', () => {
  let server;
  let base;
  let browser;

  before(async () => {
    server = startServer();
    base = await server.url;
    browser = await launchChromium();
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await stopServer(server);
  });

  test('on a phone, without JavaScript: the state, the incident and its next update, groups, maintenance, uptime', async () => {
    const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    const response = await page.goto(`${base}/status`);
    assert.equal(response.status(), 200);
    assert.equal(await page.locator('script').count(), 0, 'the status page needs no script');

    assert.match(await page.locator('#overall').textContent(), /Partial System Outage/);
    const active = page.locator('section[aria-labelledby="active"]');
    assert.match(await active.textContent(), /Card payments failing on hosted online shops/);
    assert.match(await active.textContent(), /Next update expected by/);
    for (const group of ['Hosting', 'Communications'])
      assert.equal(await page.getByRole('heading', { name: new RegExp(group) }).count(), 1, group);
    assert.ok(await page.locator('.sp-component').count() >= 6, 'six components in two groups');
    assert.match(await page.locator('section[aria-labelledby="maintenance-upcoming"]').textContent(),
      /Mail server upgrade/);
    // The demo's past incidents colour some of the 90-day bars, and every bar says its day in words.
    const bars = page.locator('.sp-bar');
    assert.ok(await bars.count() >= 6 * 90, 'a row of 90 bars per component');
    assert.ok(await page.locator('.sp-bar:not(.sp-bar--operational)').count() >= 3, 'past incidents show in the bars');
    assert.match(await bars.first().getAttribute('title'), /^\d{4}-\d{2}-\d{2}: /);
    assert.equal(await page.getByRole('link', { name: /Get updates/ }).count(), 1);

    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 390, `the status page scrolls sideways on a phone (${scrollWidth}px)`);

    const folder = process.env.LIFELINE_SCREENSHOTS || tmpdir();
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'status-page-phone.png');
    await page.screenshot({ path: file, fullPage: true });
    const png = pngFacts(readFileSync(file));
    assert.equal(png.width, 390 * 2, 'the screenshot is phone-wide');
    assert.ok(png.height >= 844 * 2, `the full page is at least one screen tall (${png.height}px)`);
    assert.ok(png.colours > 8, 'the screenshot is not blank');
    console.log(`status page screenshot (phone, ${png.width}x${png.height}): ${file}`);

    // The incident's own page, reached by its link, fits too.
    await page.locator('section[aria-labelledby="active"] a').first().click();
    assert.match(await page.locator('h1').textContent(), /Card payments failing/);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390);
    await context.close();
  });

  test('staff run the page from the console: publish, update with a component change, schedule maintenance', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel('Email address').fill('tom@lifeline.test');
    await page.getByLabel('Password').fill('demo-password');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.getByRole('link', { name: 'Status page' }).click();
    assert.match(await page.locator('#status-overall').textContent(), /Partial System Outage/);

    const publish = page.locator('#publish');
    await publish.getByLabel('Title').fill('VPN <b>drops</b> for remote staff');
    await publish.getByLabel('Impact').selectOption('minor');
    await publish.getByLabel('Remote access VPN').check();
    await publish.getByLabel('Affected components show').selectOption('degraded_performance');
    await publish.getByLabel('First public update').fill('Some remote users are disconnected. We are looking.');
    await Promise.all([page.waitForURL(/done=published/), publish.getByRole('button', { name: 'Publish' }).click()]);

    // The public page has it within a second, escaped, with the VPN degraded.
    const started = Date.now();
    let summary;
    do {
      summary = await (await fetch(`${base}/api/v2/summary.json`)).json();
    } while (!summary.incidents.some((i) => i.name.includes('VPN')) && Date.now() - started < 1000);
    const vpnIncident = summary.incidents.find((i) => i.name === 'VPN <b>drops</b> for remote staff');
    assert.ok(vpnIncident, 'the published incident is in summary.json within a second');
    assert.equal(summary.components.find((c) => c.name === 'Remote access VPN').status, 'degraded_performance');
    const card = page.locator(`#public-incident-${vpnIncident.id}`);
    assert.match(await card.textContent(), /VPN <b>drops<\/b> for remote staff/);

    await card.getByLabel('Status', { exact: true }).selectOption('resolved');
    await card.getByLabel('Public update').fill('The gateway was restarted; everyone is back.');
    await Promise.all([page.waitForURL(/done=updated/), card.getByRole('button', { name: 'Post update' }).click()]);
    const after = await (await fetch(`${base}/api/v2/components.json`)).json();
    assert.equal(after.components.find((c) => c.name === 'Remote access VPN').status, 'operational');
    assert.match(await page.locator('#resolved').textContent(), /VPN <b>drops<\/b>/);

    const maintenance = page.locator('#maintenance');
    await maintenance.getByLabel('Title').fill('Firewall firmware update');
    const start = new Date(Date.now() + 2 * 86400e3).toISOString().slice(0, 13) + ':00';
    await maintenance.getByLabel('Starts (UTC)').fill(start);
    await maintenance.getByLabel('Remote access VPN').check();
    await maintenance.getByLabel('What customers should know').fill('The VPN reconnects once during the window.');
    await Promise.all([page.waitForURL(/done=scheduled/),
      maintenance.getByRole('button', { name: 'Schedule maintenance' }).click()]);
    assert.match(await page.locator('#planned-maintenance').textContent(), /Firewall firmware update/);
    const upcoming = await (await fetch(`${base}/api/v2/scheduled-maintenances/upcoming.json`)).json();
    const planned = upcoming.scheduled_maintenances.find((m) => m.name === 'Firewall firmware update');
    assert.ok(planned, 'the maintenance is in upcoming.json');
    assert.equal(planned.scheduled_for.slice(0, 16), start);

    // A bad start is refused with a message, not lost silently.
    await maintenance.getByLabel('Title').fill('No start');
    await maintenance.getByLabel('What customers should know').fill('x');
    await maintenance.getByLabel('Starts (UTC)').fill(new Date(Date.now() - 86400e3).toISOString().slice(0, 16));
    await maintenance.getByRole('button', { name: 'Schedule maintenance' }).click();
    assert.match(await page.locator('#status-error').textContent(), /\S/);
    await context.close();
  });

  test('the resolved history of the demo is on the public incidents document', async () => {
    const response = await fetch(`${base}/api/v2/incidents.json`);
    const doc = await response.json();
    const resolved = doc.incidents.filter((i) => i.status === 'resolved');
    assert.ok(resolved.length >= 3, `resolved incidents in the history (${resolved.length})`);
    const oldest = Date.parse(resolved.at(-1).started_at);
    assert.ok(Date.now() - oldest > 30 * 86400e3, 'history reaches back more than a month');
    assert.ok(Date.now() - oldest < 90 * 86400e3, 'and stays inside the 90 days of the uptime bars');
  });
});
