{{%AUTOESCAPE context="HTML"}}<div class="page-head">
  <div>
    <h1>Incidents</h1>
    <p class="muted">One commander each, a committed time for every next update, and a debrief afterwards.</p>
  </div>
  <nav class="toggle" aria-label="Which incidents">
    <a href="/console/incidents"{{#AT_OPEN}} aria-current="page"{{/AT_OPEN}}>Open</a>
    <a href="/console/incidents?status=all"{{#AT_ALL}} aria-current="page"{{/AT_ALL}}>All recent</a>
  </nav>
</div>
<div class="incidents-layout">
<section aria-labelledby="incidents-heading">
  <h2 id="incidents-heading" class="visually-hidden">{{#AT_OPEN}}Open incidents{{/AT_OPEN}}{{#AT_ALL}}Recent incidents{{/AT_ALL}}</h2>
{{#NO_INCIDENTS}}  <div class="panel empty">
    <h2>{{EMPTY_HEADING}}</h2>
    <p class="muted">When a customer's business is down, declare an incident: it gets one commander, a severity from its impact, and customers hear when the next update comes.</p>
  </div>{{/NO_INCIDENTS}}
{{#HAS_INCIDENTS}}  <div class="table-wrap">
  <table class="incidents" id="incidents">
    <thead><tr><th scope="col">Severity</th><th scope="col">Incident</th><th scope="col">Status</th><th scope="col">Commander</th><th scope="col">Next update</th><th scope="col">Tickets</th></tr></thead>
    <tbody>
{{#INCIDENT}}      <tr class="incident-row incident-row--{{STATUS}}{{#OVERDUE}} is-overdue{{/OVERDUE}}" data-id="{{ID}}">
        <td><span class="sev sev--{{SEVERITY_CLASS}}">{{SEVERITY}}</span></td>
        <td class="incident-row__title"><a href="/console/incidents/{{ID}}">{{TITLE}}</a> <span class="muted small">#{{ID}} · declared {{DECLARED}}</span></td>
        <td><span class="incident-status incident-status--{{STATUS}}">{{STATUS_LABEL}}</span></td>
        <td class="incident-row__commander">{{COMMANDER}}</td>
        <td class="incident-row__next">{{#HAS_NEXT_UPDATE}}<span class="countdown countdown--{{COUNTDOWN_CLASS}}" data-countdown="{{COUNTDOWN_ISO}}" data-ahead="{{COUNTDOWN_AHEAD}}">{{COUNTDOWN}}</span>{{/HAS_NEXT_UPDATE}}{{#NO_NEXT_UPDATE}}<span class="muted">—</span>{{/NO_NEXT_UPDATE}}</td>
        <td class="incident-row__tickets">{{TICKETS}} <span class="visually-hidden">linked tickets</span></td>
      </tr>
{{/INCIDENT}}    </tbody>
  </table>
  </div>{{/HAS_INCIDENTS}}
</section>
<section class="panel" id="declare" aria-labelledby="declare-heading">
  <h2 id="declare-heading">Declare an incident</h2>
  <p class="muted small">You become its commander. Severity is proposed from the impact you describe.</p>
{{>DECLARE}}
</section>
</div>
<script src="/static/incident-room.js?v={{SCRIPT_VERSION}}" defer></script>
