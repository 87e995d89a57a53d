{{%AUTOESCAPE context="HTML"}}<div class="page-head">
  <div>
    <h1>Escalations</h1>
    <p class="muted">{{#OPEN_ONLY}}Escalations still paging or waiting for someone, newest first.{{/OPEN_ONLY}}{{#ALL_RECENT}}Recent escalations, finished ones included, newest first.{{/ALL_RECENT}} <strong>{{COUNT}}</strong></p>
  </div>
  {{>TABS}}
</div>
<nav class="toggle" aria-label="Which escalations">
  <a href="/console/escalations"{{#OPEN_ONLY}} aria-current="page"{{/OPEN_ONLY}}>Open</a>
  <a href="/console/escalations?show=all"{{#ALL_RECENT}} aria-current="page"{{/ALL_RECENT}}>All recent</a>
</nav>
{{#EMPTY}}
<div class="panel empty">
  <h2>{{#OPEN_ONLY}}Nothing is being escalated{{/OPEN_ONLY}}{{#ALL_RECENT}}No escalations yet{{/ALL_RECENT}}</h2>
  <p class="muted">Critical alerts of services with a policy, and emergency tickets, page people through an escalation.</p>
</div>
{{/EMPTY}}
{{#HAS_ESCALATIONS}}
<div class="table-wrap escalations-wrap">
<table class="alerts escalations" id="escalations">
  <caption class="visually-hidden">Escalations, newest first</caption>
  <thead>
    <tr>
      <th scope="col">State</th>
      <th scope="col">What</th>
      <th scope="col">Policy</th>
      <th scope="col">Where</th>
      <th scope="col">Started</th>
    </tr>
  </thead>
  <tbody>
{{#ESCALATION}}    <tr class="escalation-row" id="escalation-{{ID}}">
      <td><span class="alert-status alert-status--{{STATE_CLASS}}">{{STATE_LABEL}}</span></td>
      <td class="alert-row__summary"><a href="/console/escalations/{{ID}}">{{SUMMARY}}</a>{{#HAS_WHAT}}<br><a class="small" href="{{WHAT_URL}}">{{WHAT_LABEL}}</a>{{/HAS_WHAT}} <span class="muted small">{{SEVERITY}}</span></td>
      <td>{{POLICY}}</td>
      <td>{{STEP}}</td>
      <td class="alert-row__age"><time datetime="{{STARTED_ISO}}" title="{{STARTED}}">{{AGE}}</time></td>
    </tr>
{{/ESCALATION}}  </tbody>
</table>
</div>
{{/HAS_ESCALATIONS}}
