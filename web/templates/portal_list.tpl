{{%AUTOESCAPE context="HTML"}}<div class="page-head">
  <div>
    <h1>Your tickets</h1>
    <p class="muted">{{#HAS_ORGANIZATION}}Every request from {{ORGANIZATION}}, newest first.{{/HAS_ORGANIZATION}}{{#EMPTY}}Nothing yet.{{/EMPTY}}</p>
  </div>
  <a class="button button--primary" href="/portal/new">Open a new ticket</a>
</div>
{{>INCIDENT_BANNER}}
{{#EMPTY}}
<div class="panel empty">
  <h2>No tickets yet</h2>
  <p class="muted">When something is wrong, open a ticket: you get a reference, the name of the person on it, and the time we will answer by.</p>
</div>
{{/EMPTY}}
{{#HAS_TICKETS}}
<ul class="ticket-list" id="tickets">
{{#TICKET}}
  <li class="ticket-card{{#DONE}} ticket-card--done{{/DONE}}" data-ref="{{REF}}">
    <a class="ticket-card__link" href="/portal/tickets/{{REF}}">
      <span class="ticket-card__top"><span class="ticket-ref">{{REF}}</span><span class="status status--{{STATUS}}">{{STATUS_LABEL}}</span></span>
      <span class="ticket-card__subject">{{SUBJECT}}</span>
      <span class="ticket-card__meta"><span class="badge badge--{{PRIORITY_CLASS}}">{{PRIORITY}} · {{PRIORITY_WORD}}</span> <span>Opened by {{REQUESTER_NAME}}</span> <span>Updated {{UPDATED}}</span>{{#OPEN}} <span>Handled by {{ASSIGNEE}}</span>{{/OPEN}}</span>
    </a>
  </li>
{{/TICKET}}
</ul>
{{/HAS_TICKETS}}
