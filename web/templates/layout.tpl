{{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"selfRequestsOnly":true,"responseHandling":[{"code":"204","swap":false},{"code":"[2345]..","swap":true}]}'>
<title>{{TITLE}} · Lifeline Support</title>
<link rel="stylesheet" href="/static/lifeline.css?v={{CSS_VERSION}}">
<script src="/static/htmx.min.js?v={{HTMX_VERSION}}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <div class="wrap site-header__inner">
    <a class="brand" href="/"><span class="brand__mark" aria-hidden="true"></span>Lifeline <span class="brand__sub">Support desk</span></a>
{{#SIGNED_IN}}
    <nav class="site-nav" aria-label="Main">
{{#STAFF}}
      <a href="/console"{{#NAV_CONSOLE}} aria-current="page"{{/NAV_CONSOLE}}>Queue</a>
      <a href="/console/incidents"{{#NAV_INCIDENTS}} aria-current="page"{{/NAV_INCIDENTS}}>Incidents</a>
      <a href="/console/outbox"{{#NAV_OUTBOX}} aria-current="page"{{/NAV_OUTBOX}}>Undelivered email</a>
      <a href="/console/held"{{#NAV_HELD}} aria-current="page"{{/NAV_HELD}}>Held mail</a>
      <a href="/console/on-call"{{#NAV_ONCALL}} aria-current="page"{{/NAV_ONCALL}}>On call</a>
      <a href="/console/alerts"{{#NAV_ALERTS}} aria-current="page"{{/NAV_ALERTS}}>Alerts</a>
      <a href="/console/status"{{#NAV_STATUS}} aria-current="page"{{/NAV_STATUS}}>Status page</a>
      <a href="/console/escalations"{{#NAV_ESCALATION}} aria-current="page"{{/NAV_ESCALATION}}>Escalation</a>
      <a href="/portal"{{#NAV_PORTAL}} aria-current="page"{{/NAV_PORTAL}}>Portal view</a>
{{/STAFF}}
{{#CONTACT}}
      <a href="/portal"{{#NAV_PORTAL}} aria-current="page"{{/NAV_PORTAL}}>Your tickets</a>
      <a href="/portal/new"{{#NAV_NEW}} aria-current="page"{{/NAV_NEW}}>New ticket</a>
      <a href="/portal/incidents"{{#NAV_PORTAL_INCIDENTS}} aria-current="page"{{/NAV_PORTAL_INCIDENTS}}>Incidents</a>
{{/CONTACT}}
    </nav>
    <div class="who">
      <span class="who__name" title="{{USER_EMAIL}}">{{USER_NAME}}</span>
      <form method="post" action="/logout" class="inline-form">
        <input type="hidden" name="csrf" value="{{CSRF}}">
        <button type="submit" class="button button--quiet button--small">Sign out</button>
      </form>
    </div>
{{/SIGNED_IN}}
{{#ANONYMOUS}}
    <nav class="site-nav site-nav--end" aria-label="Main">
      <a href="/support"{{#NAV_SUPPORT}} aria-current="page"{{/NAV_SUPPORT}}>Contact support</a>
      <a href="/login"{{#NAV_LOGIN}} aria-current="page"{{/NAV_LOGIN}}>Sign in</a>
    </nav>
{{/ANONYMOUS}}
  </div>
</header>
<main id="main" class="wrap main" tabindex="-1">
{{>CONTENT}}
</main>
<footer class="site-footer">
  <div class="wrap">Lifeline Support · Every request gets a reference, a named person and a time we will answer by.</div>
</footer>
</body>
</html>
