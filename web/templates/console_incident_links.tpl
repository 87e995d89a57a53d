{{%AUTOESCAPE context="HTML"}}<h3>Linked tickets</h3>
{{#NO_TICKETS}}<p class="muted">No tickets linked.</p>
{{/NO_TICKETS}}{{#HAS_TICKETS}}<ul class="link-list" id="linked-tickets">
{{#TICKET}}  <li class="link-item"><a class="ticket-ref" href="/console/tickets/{{REF}}">{{REF}}</a> <span class="link-item__what">{{SUBJECT}}</span> <span class="muted small">{{ORGANIZATION}}</span></li>
{{/TICKET}}</ul>
{{/HAS_TICKETS}}<h3>Linked alerts</h3>
{{#NO_ALERTS}}<p class="muted">No alerts linked.</p>
{{/NO_ALERTS}}{{#HAS_ALERTS}}<ul class="link-list" id="linked-alerts">
{{#ALERT}}  <li class="link-item"><span class="alert-status alert-status--{{ALERT_STATUS}}">{{ALERT_STATUS}}</span> <span class="link-item__what">{{SERVICE}}: {{SUMMARY}}</span></li>
{{/ALERT}}</ul>
{{/HAS_ALERTS}}{{#SUGGESTIONS}}<h3>Suggested duplicates</h3>
<p class="hint">Open tickets from the affected organizations, or matching the keywords or components. Linking one sends its requester the known-issue answer.</p>
{{#HAS_SUGGESTIONS_ERROR}}<p class="field-error">{{SUGGESTIONS_ERROR}}</p>
{{/HAS_SUGGESTIONS_ERROR}}{{#NO_SUGGESTIONS}}<p class="muted">None right now.</p>
{{/NO_SUGGESTIONS}}{{#HAS_SUGGESTIONS}}<ul class="link-list" id="suggestions">
{{#SUGGESTION}}  <li class="link-item suggestion">
    <span class="link-item__what"><a class="ticket-ref" href="/console/tickets/{{REF}}">{{REF}}</a> {{SUBJECT}} <span class="muted small">{{ORGANIZATION}} · {{REQUESTER}}</span></span>
    <form method="post" action="/console/incidents/{{ID}}/tickets" class="inline-form">
      <input type="hidden" name="csrf" value="{{CSRF}}">
      <input type="hidden" name="ref" value="{{REF}}">
      <button type="submit" class="button button--small">Link<span class="visually-hidden"> {{REF}}</span></button>
    </form>
  </li>
{{/SUGGESTION}}</ul>
{{/HAS_SUGGESTIONS}}{{/SUGGESTIONS}}
