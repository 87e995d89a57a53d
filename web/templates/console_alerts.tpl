{{%AUTOESCAPE context="HTML"}}<div class="page-head">
  <div>
    <h1>Alerts</h1>
    <p class="muted">{{#OPEN_ONLY}}Alerts not yet resolved, newest first.{{/OPEN_ONLY}}{{#ALL_RECENT}}Recent alerts, resolved ones included, newest first.{{/ALL_RECENT}} <strong>{{COUNT}}</strong></p>
  </div>
  <nav class="toggle" aria-label="Which alerts">
    <a href="/console/alerts"{{#OPEN_ONLY}} aria-current="page"{{/OPEN_ONLY}}>Open</a>
    <a href="/console/alerts?show=all"{{#ALL_RECENT}} aria-current="page"{{/ALL_RECENT}}>All recent</a>
  </nav>
</div>
{{#HAS_FLASH}}<p class="notice notice--success" role="status">{{FLASH}}</p>{{/HAS_FLASH}}
{{#HAS_NOTICE}}<p class="notice notice--warning" role="alert">{{NOTICE}}</p>{{/HAS_NOTICE}}
{{#EMPTY}}
<div class="panel empty">
  <h2>{{#OPEN_ONLY}}No open alerts{{/OPEN_ONLY}}{{#ALL_RECENT}}No alerts yet{{/ALL_RECENT}}</h2>
  <p class="muted">Alerts from monitoring (Events API v2, Alertmanager, webhooks) appear here as they arrive.</p>
</div>
{{/EMPTY}}
{{#HAS_ALERTS}}
<div class="table-wrap">
<table class="alerts" id="alerts">
  <caption class="visually-hidden">Alerts, newest first</caption>
  <thead>
    <tr>
      <th scope="col">Service</th>
      <th scope="col">Severity</th>
      <th scope="col">Summary</th>
      <th scope="col">Status</th>
      <th scope="col">Count</th>
      <th scope="col">Age</th>
      <th scope="col">Escalation</th>
      <th scope="col"><span class="visually-hidden">Actions</span></th>
    </tr>
  </thead>
  <tbody>
{{#ALERT}}{{>ROW}}{{/ALERT}}
  </tbody>
</table>
</div>
{{/HAS_ALERTS}}
