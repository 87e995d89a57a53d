{{%AUTOESCAPE context="HTML"}}<div class="page-head">
  <div>
    <h1>Incidents</h1>
    <p class="muted">Problems on our side that affect you: who leads the response, and when you hear from us next.</p>
  </div>
</div>
{{#EMPTY}}<div class="panel empty">
  <h2>Nothing is affecting you right now</h2>
  <p class="muted">When we are working on a problem that affects you, it is listed here with the name of the person leading the response and the time of our next update.</p>
</div>
{{/EMPTY}}{{#HAS_INCIDENTS}}<ul class="ticket-list" id="incidents">
{{#INCIDENT}}  <li class="ticket-card{{#DONE}} ticket-card--done{{/DONE}}" data-id="{{ID}}">
    <a class="ticket-card__link" href="/portal/incidents/{{ID}}">
      <span class="ticket-card__top"><span class="incident-status incident-status--{{STATUS}}">{{STATUS_LABEL}}</span></span>
      <span class="ticket-card__subject">{{TITLE}}</span>
      <span class="ticket-card__meta"><span>Led by {{COMMANDER}}</span>{{#HAS_NEXT_UPDATE}} <span>Next update by {{NEXT_UPDATE_AT}}</span>{{/HAS_NEXT_UPDATE}}{{#RESOLVED}} <span>Resolved {{RESOLVED_AT}}</span>{{/RESOLVED}}</span>
    </a>
  </li>
{{/INCIDENT}}</ul>
{{/HAS_INCIDENTS}}
