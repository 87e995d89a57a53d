// Browser tests of the pages: the real binary with demo data, driven by headless Chromium.
//   LIFELINE_BIN=build/lifeline node --test tests/browser/
// Optional: LIFELINE_SCREENSHOTS=/tmp/shots saves a screenshot of each page the scenario visits.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { BIN, launchChromium, startServer, stopServer } from './support.mjs';

const SHOTS = process.env.LIFELINE_SCREENSHOTS ?? '';
const PASSWORD = 'demo-password';
const MARIA = 'maria@harbourbakery.co.uk';
const TOM = 'tom@lifeline.test';

let shotCount = 0;
async function shot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  shotCount += 1;
  await page.screenshot({ path: path.join(SHOTS, `${String(shotCount).padStart(2, '0')}-${name}.png`), fullPage: true, caret: 'initial' });
}

async function signIn(page, base, email, password = PASSWORD) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Sign in' }).click()]);
}

describe('web pages', () => {
  let server;
  let base;
  let browser;
  const contexts = [];
  const consoleErrors = [];

  async function newPage(options = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
    page.on('pageerror', (err) => consoleErrors.push(String(err)));
    page.on('dialog', (dialog) => {
      consoleErrors.push(`unexpected dialog: ${dialog.message()}`);
      dialog.dismiss();
    });
    return page;
  }

  before(async () => {
    server = startServer();
    base = await server.url;
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    if (browser) await browser.close();
    if (server) await stopServer(server);
  });

  test('a wrong password shows an inline error and keeps the email', async () => {
    const page = await newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel('Email address').fill(MARIA);
    await page.getByLabel('Password').fill('not-the-password');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    assert.equal(response.status(), 401);
    await page.waitForLoadState('load');
    const error = page.locator('#login-error');
    assert.match(await error.textContent(), /do not match an account/);
    assert.equal(await page.getByLabel('Email address').inputValue(), MARIA);
    await shot(page, 'login-wrong-password');
  });

  test('an expired session sends people to sign in again, then back', async () => {
    const page = await newPage();
    await page.context().addCookies([{ name: 'll_session', value: 's_expired-or-unknown', url: base }]);
    await page.goto(`${base}/portal`);
    assert.match(page.url(), /\/login\?next=%2Fportal&expired=1$/);
    assert.match(await page.locator('main').textContent(), /your session has expired/i);
    await shot(page, 'login-expired');
    await page.getByLabel('Email address').fill(MARIA);
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL(`${base}/portal`), page.getByRole('button', { name: 'Sign in' }).click()]);
  });

  test('sign-in only returns to local pages', async () => {
    const page = await newPage();
    await page.goto(`${base}/login?next=${encodeURIComponent('//evil.example/steal')}`);
    await page.getByLabel('Email address').fill(TOM);
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL(`${base}/console`), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.goto(`${base}/login?next=${encodeURIComponent('/console?priority=P1')}`);
    assert.equal(page.url(), `${base}/console?priority=P1`, 'a signed-in visit to /login goes on to next');
  });

  test('a contact gets 404 on the console', async () => {
    const page = await newPage();
    await signIn(page, base, MARIA);
    assert.equal(new URL(page.url()).pathname, '/portal');
    const response = await page.goto(`${base}/console`);
    assert.equal(response.status(), 404);
    assert.match(await page.locator('h1').textContent(), /Page not found/);
    const ticket = await page.goto(`${base}/console/tickets/LL-1001`);
    assert.equal(ticket.status(), 404);
  });

  test('the queue is ordered by first-response deadline, and the overdue marker follows the due times', async () => {
    // The server clock cannot be moved from here, so the check reads the machine-readable due time of every
    // row (<time datetime>) and holds the ordering and the marker against it.
    const tom = await newPage();
    const before = Date.now();
    await signIn(tom, base, TOM);
    const after = Date.now();
    const rows = await tom.locator('#queue tbody tr').evaluateAll((trs) => trs.map((tr) => {
      const time = tr.querySelector('time[datetime]');
      return {
        ref: tr.dataset.ref,
        text: tr.textContent,
        due: time ? time.getAttribute('datetime') : null,
        answered: time ? time.classList.contains('due--met') : false,
        overdue: tr.classList.contains('is-overdue'),
        icon: tr.querySelector('.due__icon') !== null,
      };
    }));
    assert.ok(rows.length >= 4, `the demo seeds four open tickets, the queue shows ${rows.length}`);
    for (const row of rows) {
      assert.match(row.due ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/, `${row.ref} has no RFC 3339 due time`);
      const due = Date.parse(row.due);
      assert.equal(row.icon, row.overdue, `${row.ref}: the ! icon and the overdue row class disagree`);
      if (row.answered) assert.equal(row.overdue, false, `${row.ref} is answered but marked overdue`);
      else if (due < before - 1000) assert.equal(row.overdue, true, `${row.ref} was due at ${row.due} but is not marked overdue`);
      else if (due > after + 1000) assert.equal(row.overdue, false, `${row.ref} is due at ${row.due} but marked overdue`);
    }
    for (let i = 1; i < rows.length; i += 1) {
      assert.ok(Date.parse(rows[i - 1].due) <= Date.parse(rows[i].due),
        `${rows[i - 1].ref} (${rows[i - 1].due}) comes before ${rows[i].ref} (${rows[i].due})`);
    }
    // The seeded emergency (15 minutes round the clock) is due first.
    assert.match(rows[0].text, /P1/);
    assert.match(rows[0].text, /Online shop checkout fails/);
    const overdue = rows.filter((r) => r.overdue).length;
    const count = await tom.locator('.page-head .text-overdue').count();
    if (overdue === 0) assert.equal(count, 0, 'an overdue count is shown with no overdue row');
    else assert.match(await tom.locator('.page-head .text-overdue').textContent(), new RegExp(`^${overdue} overdue$`));
  });

  test('the floor: Maria files a P1, Tom sees it first and replies, Maria sees the reply', async () => {
    // Tom first clears the emergency seeded with the demo, so that the queue has no older P1 deadline.
    const tom = await newPage();
    await signIn(tom, base, TOM);
    assert.equal(new URL(tom.url()).pathname, '/console');
    const seeded = await tom.locator('#queue tbody tr').first().getAttribute('data-ref');
    await tom.goto(`${base}/console/tickets/${seeded}`);
    await tom.getByLabel('Set status').selectOption('resolved');
    await Promise.all([tom.waitForURL(/\?done=status$/), tom.getByRole('button', { name: 'Update status' }).click()]);
    assert.match(await tom.locator('.ticket-head .status').textContent(), /Resolved/);

    // Maria opens a P1 in the portal and reads the acknowledgement.
    const maria = await newPage();
    await maria.goto(`${base}/portal`);
    assert.match(maria.url(), /\/login\?next=%2Fportal$/);
    await maria.getByLabel('Email address').fill(MARIA);
    await maria.getByLabel('Password').fill(PASSWORD);
    await Promise.all([maria.waitForURL(`${base}/portal`), maria.getByRole('button', { name: 'Sign in' }).click()]);
    await shot(maria, 'portal-list');
    await maria.getByRole('link', { name: 'Open a new ticket' }).click();
    await maria.waitForURL(`${base}/portal/new`);
    await maria.getByLabel('Subject').fill('Card terminals offline in all shops');
    await maria.getByLabel('P1 — Emergency: my business is down').check();
    await maria.getByLabel('What is happening?').fill('Since 11:00 no card terminal connects.\nWe can only take cash.');
    await shot(maria, 'portal-new');
    await Promise.all([
      maria.waitForURL(/\/portal\/tickets\/LL-\d+\?created=1$/),
      maria.getByRole('button', { name: 'Send ticket' }).click(),
    ]);
    const ref = (await maria.locator('.ack-ref').textContent()).trim();
    assert.match(ref, /^LL-\d+$/);
    assert.equal((await maria.locator('.ack-responder').textContent()).trim(), 'Tom Becker');
    const respondBy = (await maria.locator('.ack-respond-by').textContent()).trim();
    assert.match(respondBy, /\d{2}:\d{2} UTC/);
    assert.match(respondBy, /within 1[45] min/);
    assert.match(await maria.locator('.ack-text').textContent(), new RegExp(`Your reference is ${ref}`));
    await shot(maria, 'portal-acknowledgement');

    // Tom sees it first in the queue, opens it and replies (htmx: no full reload).
    await tom.goto(`${base}/console`);
    await shot(tom, 'console-queue');
    const first = tom.locator('#queue tbody tr').first();
    assert.equal(await first.getAttribute('data-ref'), ref);
    assert.match(await first.textContent(), /P1/);
    assert.match(await first.textContent(), /due in 1[45] min/);
    assert.match(await first.textContent(), /Harbour Bakery/);
    await first.getByRole('link', { name: ref }).click();
    await tom.waitForURL(`${base}/console/tickets/${ref}`);
    assert.match(await tom.locator('.acknowledgement').textContent(), new RegExp(`Your reference is ${ref}`));

    // An empty reply is refused beside the form.
    await tom.getByRole('button', { name: 'Send reply' }).click();
    await tom.locator('#reply-error').waitFor();
    assert.match(await tom.locator('#reply-error').textContent(), /empty/i);

    await tom.evaluate(() => { window.lifelineMarker = 'still here'; });
    const replyText = 'Hi Maria, I am on it: the payment gateway rejects your terminals. Restart one while I watch.';
    await tom.getByLabel('Reply to Maria Lopez').fill(replyText);
    await tom.getByRole('button', { name: 'Send reply' }).click();
    await tom.locator('#conversation .message--agent', { hasText: replyText }).waitFor();
    assert.equal(await tom.evaluate(() => window.lifelineMarker), 'still here', 'the reply reloaded the page');
    assert.equal(await tom.getByLabel('Reply to Maria Lopez').inputValue(), '');
    assert.match(await tom.locator('#conversation').textContent(), /Your reply was sent to Maria Lopez/);
    // The header and the sidebar follow out of band: the ticket is open and answered now.
    assert.match(await tom.locator('#ticket-head .status').textContent(), /Open/);
    assert.match(await tom.locator('#ticket-head').textContent(), /answered/);
    assert.match(await tom.locator('#ticket-side .timeline').textContent(), /replied to the customer/);
    await shot(tom, 'console-ticket-after-reply');

    // Maria sees the reply in the portal.
    await maria.goto(`${base}/portal/tickets/${ref}`);
    const reply = maria.locator('.message--agent', { hasText: replyText });
    assert.equal(await reply.count(), 1);
    assert.match(await reply.textContent(), /Tom Becker/);
    assert.match(await maria.locator('.ticket-head .status').textContent(), /In progress/);
    await shot(maria, 'portal-ticket-with-reply');

    // Her answer goes in without a reload too.
    await maria.getByLabel('Add a reply').fill('Thank you, restarting the terminal at the harbour shop now.');
    await maria.getByRole('button', { name: 'Send reply' }).click();
    await maria.locator('#conversation .message--customer', { hasText: 'restarting the terminal' }).waitFor();
    assert.equal(await maria.getByLabel('Add a reply').inputValue(), '');
  });

  test('without JavaScript the forms still work, and notes stay internal', async () => {
    const tom = await newPage({ javaScriptEnabled: false });
    await signIn(tom, base, TOM);
    const ref = await tom.locator('#queue tbody tr', { hasText: 'Harbour Bakery' }).first().getAttribute('data-ref');
    await tom.goto(`${base}/console/tickets/${ref}`);
    await tom.locator('details.composer__note summary').click();
    const note = 'Gateway status page shows an outage in eu-west; escalated to the provider.';
    await tom.getByLabel('Internal note').fill(note);
    await Promise.all([tom.waitForURL(/\?done=note$/), tom.getByRole('button', { name: 'Add note' }).click()]);
    assert.match(await tom.locator('main').textContent(), /Your internal note was added/);
    assert.equal(await tom.locator('.message--internal', { hasText: note }).count(), 1);
    // Assignment is a plain select of the team, posted as a form.
    await tom.getByLabel('Assign to').selectOption({ label: 'Priya Nair (priya@lifeline.test)' });
    await Promise.all([tom.waitForURL(/\?done=assign$/), tom.getByRole('button', { name: 'Assign', exact: true }).click()]);
    assert.equal((await tom.locator('#assignee').textContent()).trim(), 'Priya Nair');
    assert.equal(await tom.getByLabel('Assign to').inputValue(), 'priya@lifeline.test');
    await tom.getByLabel('Assign to').selectOption('');
    await Promise.all([tom.waitForURL(/\?done=assign$/), tom.getByRole('button', { name: 'Assign', exact: true }).click()]);
    assert.equal((await tom.locator('#assignee').textContent()).trim(), 'Unassigned');
    await shot(tom, 'console-ticket-no-js');

    const maria = await newPage({ javaScriptEnabled: false });
    await signIn(maria, base, MARIA);
    await maria.goto(`${base}/portal/tickets/${ref}`);
    assert.doesNotMatch(await maria.locator('main').textContent(), /eu-west/);
    await maria.getByLabel('Add a reply').fill('Restarted the terminal in the harbour shop.');
    await Promise.all([maria.waitForURL(/\?done=reply$/), maria.getByRole('button', { name: 'Send reply' }).click()]);
    assert.equal(await maria.locator('.message--customer', { hasText: 'Restarted the terminal' }).count(), 1);
  });

  test('a new ticket without a subject is sent back with the message and the text kept', async () => {
    const page = await newPage();
    await signIn(page, base, MARIA);
    await page.goto(`${base}/portal/new`);
    await page.getByLabel('What is happening?').fill('The printer in the office\nprints blank pages.');
    await page.locator('#subject').evaluate((input) => input.removeAttribute('required'));
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/portal/tickets') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Send ticket' }).click(),
    ]);
    assert.equal(response.status(), 400);
    await page.waitForLoadState('load');
    assert.match(await page.locator('#subject-error').textContent(), /The subject is required/);
    assert.equal(await page.getByLabel('What is happening?').inputValue(), 'The printer in the office\nprints blank pages.');
    assert.equal(await page.getByLabel('P3 — Normal: something is not working as it should').isChecked(), true);
    await shot(page, 'portal-new-invalid');
  });

  test('a form posted without its CSRF token is refused with a message', async () => {
    const page = await newPage();
    await signIn(page, base, MARIA);
    await page.goto(`${base}/portal/new`);
    await page.getByLabel('Subject').fill('Should not be created');
    await page.getByLabel('What is happening?').fill('This form lost its token.');
    await page.locator('form[action="/portal/tickets"] input[name="csrf"]').evaluate((input) => input.remove());
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/portal/tickets') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Send ticket' }).click(),
    ]);
    assert.equal(response.status(), 403);
    await page.waitForLoadState('load');
    assert.match(await page.locator('main').textContent(), /did not come from this site/);
    await shot(page, 'csrf-refused');
    await page.goto(`${base}/portal`);
    assert.doesNotMatch(await page.locator('main').textContent(), /Should not be created/);
  });

  test('the public support form opens a ticket and shows the acknowledgement', async () => {
    const page = await newPage();
    await page.goto(`${base}/support`);
    await page.getByLabel('Your name').fill('Sam Baker');
    await page.getByLabel('Your email address').fill('not-an-email');
    await page.getByLabel('Subject').fill('Oven controller offline');
    await page.getByLabel('P2 — Urgent: something important is broken').check();
    await page.getByLabel('What is happening?').fill('The oven controller dropped off the network at 6am.');
    await page.locator('#email').evaluate((input) => { input.type = 'text'; });
    const [bad] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/support') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Send' }).click(),
    ]);
    assert.equal(bad.status(), 400);
    await page.waitForLoadState('load');
    assert.match(await page.locator('#email-error').textContent(), /not a valid email address/);
    assert.equal(await page.getByLabel('Subject').inputValue(), 'Oven controller offline');
    await page.getByLabel('Your email address').fill('sam@harbourbakery.co.uk');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Send' }).click()]);
    assert.match((await page.locator('.ack-ref').textContent()).trim(), /^LL-\d+$/);
    assert.equal((await page.locator('.ack-responder').textContent()).trim(), 'Tom Becker');
    assert.match(await page.locator('.ack-text').textContent(), /Hello Sam Baker/);
    await shot(page, 'support-acknowledgement');
  });

  test('a subject containing <script> renders as text', async () => {
    const page = await newPage();
    await signIn(page, base, MARIA);
    await page.goto(`${base}/portal/new`);
    const subject = '<script>alert("x")</script> & <b>bold</b>';
    await page.getByLabel('Subject').fill(subject);
    await page.getByLabel('P4 — Low: a question or a request').check();
    await page.getByLabel('What is happening?').fill('<img src=x onerror=alert(1)> in the body too');
    await Promise.all([
      page.waitForURL(/\/portal\/tickets\/LL-\d+\?created=1$/),
      page.getByRole('button', { name: 'Send ticket' }).click(),
    ]);
    assert.equal((await page.locator('.ticket-subject').textContent()).trim(), subject);
    assert.equal(await page.locator('main script').count(), 0);
    assert.equal(await page.locator('main b').count(), 0);
    assert.equal(await page.locator('main img').count(), 0);
    assert.match(await page.locator('.message__body').first().textContent(), /<img src=x onerror=alert\(1\)>/);
    await page.goto(`${base}/portal`);
    assert.equal(await page.locator('main script').count(), 0);
    assert.match(await page.locator('#tickets').textContent(), /<script>alert\("x"\)<\/script>/);
    await shot(page, 'escaped-subject');
  });

  test('the pages work on a phone', async () => {
    const page = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, base, TOM);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 390, `the queue scrolls sideways on a phone (${scrollWidth}px)`);
    await shot(page, 'phone-console');
    const ref = await page.locator('#queue tbody tr').first().getAttribute('data-ref');
    await page.goto(`${base}/console/tickets/${ref}`);
    await shot(page, 'phone-ticket');
  });

  test('the status page\'s uptime bars fit a phone and each says its date and status in words', async () => {
    const token = execFileSync(BIN, ['token', 'create', '--data-dir', server.dir, '--user', 'admin@lifeline.test'],
      { encoding: 'utf8' }).trim().split('\n').pop();
    const api = async (target, body) => {
      const r = await fetch(`${base}${target}`, {
        method: 'POST', body: JSON.stringify(body),
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      });
      const text = await r.text();
      assert.equal(r.status, 201, text);
      return JSON.parse(text);
    };
    const checkout = await api('/api/v1/status/components', { name: 'Checkout for bars' });
    await api('/api/v1/status/components', { name: 'Search for bars' });
    const incident = await api('/api/v1/status/incidents',
      { name: 'Checkout errors', body: 'Looking into it.', impact: 'major', component_ids: [checkout.id] });
    await api(`/api/v1/status/incidents/${incident.id}/updates`, { status: 'resolved', body: 'Fixed.' });

    const page = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(`${base}/status`);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 390, `the status page scrolls sideways on a phone (${scrollWidth}px)`);
    const row = page.locator('.sp-uptime', { hasText: 'Checkout for bars' });
    const bars = row.locator('.sp-bar');
    assert.equal(await bars.count(), 90);
    const visible = await bars.evaluateAll((all) => all.filter((b) => b.getBoundingClientRect().width > 0).length);
    assert.equal(visible, 30, 'a phone shows the last 30 days');
    const today = bars.last();
    assert.match(await today.getAttribute('title'), /^\d{4}-\d{2}-\d{2}: Major outage/);
    assert.match(await today.textContent(), /Major outage/);
    assert.match(await row.locator('.sp-uptime__percent').textContent(), /^\d+\.\d\d % uptime$/);
    await shot(page, 'phone-status');
    await page.goto(`${base}/status/history`);
    await page.getByRole('link', { name: 'Checkout errors' }).click();
    await page.waitForURL(new RegExp(`/status/incidents/${incident.id}$`));
  });

  test('staff reach the undelivered email from the navigation, and each ticket has its Email panel', async () => {
    const tom = await newPage();
    await signIn(tom, base, TOM);
    await Promise.all([tom.waitForURL(`${base}/console/outbox`), tom.getByRole('link', { name: 'Undelivered email' }).click()]);
    assert.match(await tom.locator('h1').textContent(), /Undelivered email/);
    assert.equal(await tom.getByRole('link', { name: 'Undelivered email' }).getAttribute('aria-current'), 'page');
    await shot(tom, 'console-outbox');
    await tom.goto(`${base}/console`);
    const ref = await tom.locator('#queue tbody tr').first().getAttribute('data-ref');
    await tom.goto(`${base}/console/tickets/${ref}`);
    assert.match(await tom.locator('#email h2').textContent(), /Email/);
    const maria = await newPage();
    await signIn(maria, base, MARIA);
    const response = await maria.goto(`${base}/console/outbox`);
    assert.equal(response.status(), 404);
  });

  test('static assets are served with types and caching', async () => {
    const page = await newPage();
    const css = await page.request.get(`${base}/static/lifeline.css`);
    assert.equal(css.status(), 200);
    assert.match(css.headers()['content-type'], /^text\/css/);
    assert.match(css.headers()['cache-control'], /max-age/);
    const js = await page.request.get(`${base}/static/htmx.min.js`);
    assert.equal(js.status(), 200);
    assert.match(js.headers()['content-type'], /^text\/javascript/);
    assert.ok(js.headers()['etag']);
    const missing = await page.request.get(`${base}/static/nope.js`);
    assert.equal(missing.status(), 404);
  });

  test('no page logged a browser error (CSP, scripts)', () => {
    const unexpected = consoleErrors.filter((e) => !/status of 40[0134]/.test(e));
    assert.deepEqual(unexpected, []);
  });

  test('an admin creates a schedule in the form, and staff see who is on call', async () => {
    const errorsBefore = consoleErrors.length;
    const admin = await newPage();
    await signIn(admin, base, 'admin@lifeline.test');
    await admin.goto(`${base}/console/on-call`);
    await Promise.all([admin.waitForURL(`${base}/console/schedules/new`), admin.getByRole('link', { name: 'New schedule' }).first().click()]);
    await admin.getByLabel('Name', { exact: true }).fill('Primary');
    await admin.getByLabel('Time zone', { exact: true }).fill('Europe/Berlin');
    await admin.locator('#layer1-name').fill('Round the clock');
    await admin.locator('#layer1-participants').fill(TOM);
    // The first hand-off a week ago, so that Tom is on call now.
    const start = `${new Date(Date.now() - 7 * 86400000).toISOString().slice(0, 10)}T09:00`;
    await admin.locator('#layer1-start').fill(start);
    await admin.locator('#layer1-length').selectOption('weekly');
    await shot(admin, 'schedule-form');
    await Promise.all([admin.waitForURL(/\/console\/schedules\/\d+\?done=created/), admin.getByRole('button', { name: 'Create schedule' }).click()]);
    assert.match(await admin.locator('h1').textContent(), /Primary/);
    await shot(admin, 'schedule');

    const tom = await newPage();
    await signIn(tom, base, TOM);
    await Promise.all([tom.waitForURL(`${base}/console/on-call`), tom.getByRole('link', { name: 'On call', exact: true }).click()]);
    assert.equal(await tom.getByRole('link', { name: 'On call', exact: true }).getAttribute('aria-current'), 'page');
    const card = tom.locator('.oncall-card', { has: tom.getByRole('heading', { name: 'Primary', exact: true }) });
    assert.equal((await card.locator('.oncall-now__name').textContent()).trim(), 'Tom Becker');
    assert.match(await card.textContent(), /Times in Europe\/Berlin/);
    await shot(tom, 'on-call');
    const unexpected = consoleErrors.slice(errorsBefore).filter((e) => !/status of 40[0134]/.test(e));
    assert.deepEqual(unexpected, []);
  });

  test('the incident room updates live: a note posted in one browser appears in another without reloading', async () => {
    const errorsBefore = consoleErrors.length;
    // Tom declares an incident from a ticket's page.
    const tom = await newPage();
    await signIn(tom, base, TOM);
    const ref = await tom.locator('#queue tbody tr').first().getAttribute('data-ref');
    await tom.goto(`${base}/console/tickets/${ref}`);
    await Promise.all([tom.waitForURL(/\/console\/incidents\/new\?ticket=/), tom.getByRole('link', { name: 'Declare incident' }).click()]);
    await tom.locator('#declare-impact').selectOption('down');
    await Promise.all([
      tom.waitForURL(/\/console\/incidents\/\d+\?done=declared/),
      tom.getByRole('button', { name: 'Declare incident' }).click(),
    ]);
    const room = new URL(tom.url()).pathname;
    assert.match(await tom.locator('#commander').textContent(), /Tom Becker/);
    await tom.locator('#incident-room[data-live-state="connected"]').waitFor({ timeout: 5000 });

    // Priya watches the same room from another browser.
    const priya = await newPage();
    await signIn(priya, base, 'priya@lifeline.test');
    await priya.goto(`${base}${room}`);
    await priya.locator('#incident-room[data-live-state="connected"]').waitFor({ timeout: 5000 });
    await priya.evaluate(() => { window.notReloaded = true; });
    await shot(priya, 'incident-room');

    const note = `pg_restore at 62% (${Date.now()})`;
    await tom.getByLabel('Note', { exact: true }).fill(note);
    await Promise.all([tom.waitForURL(/done=note/), tom.getByRole('button', { name: 'Add to the log' }).click()]);
    assert.match(await tom.locator('#technical-log').textContent(), new RegExp(note.replace(/[()%]/g, '.')));

    await priya.locator('#technical-log', { hasText: note }).waitFor({ timeout: 5000 });
    assert.equal(await priya.evaluate(() => window.notReloaded), true, 'the page was reloaded instead of updated');
    assert.equal(new URL(priya.url()).pathname, room);

    // What Priya is typing survives a live update of a region with a form in it; the update waits for her.
    await priya.locator('#status-note').fill('half typed');
    await tom.goto(`${base}${room}`);
    await tom.locator('#briefing-in').selectOption('30');
    await tom.locator('#briefing-body').fill('We are restoring payments.');
    await tom.locator('#briefing-reason').fill('the restore finishes then');
    await Promise.all([tom.waitForURL(/done=briefing/), tom.getByRole('button', { name: 'Send briefing' }).click()]);
    await priya.locator('#business-log', { hasText: 'We are restoring payments.' }).waitFor({ timeout: 5000 });
    assert.equal(await priya.locator('#status-note').inputValue(), 'half typed');
    await shot(priya, 'incident-room-live');

    const unexpected = consoleErrors.slice(errorsBefore).filter((e) => !/status of 40[0134]/.test(e));
    assert.deepEqual(unexpected, []);
  });

  test('the incident room and the incidents list work on a phone', async () => {
    const page = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, base, TOM);
    await page.goto(`${base}/console/incidents?status=all`);
    let scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 390, `the incidents list scrolls sideways on a phone (${scrollWidth}px)`);
    const href = await page.locator('#incidents a').first().getAttribute('href');
    await page.goto(`${base}${href}`);
    scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 390, `the incident room scrolls sideways on a phone (${scrollWidth}px)`);
    await shot(page, 'phone-incident-room');
  });
});
