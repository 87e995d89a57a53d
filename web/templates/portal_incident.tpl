{{%AUTOESCAPE context="HTML"}}<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/portal/incidents">Incidents</a> <span aria-hidden="true">/</span> {{TITLE}}</nav>
<header class="incident-head incident-head--{{STATUS}}">
  <p class="eyebrow"><span class="incident-status incident-status--{{STATUS}}" id="incident-status">{{STATUS_LABEL}}</span> · started {{DECLARED}}</p>
  <h1 class="incident-title">{{TITLE}}</h1>
  <p class="lead" id="status-words">{{STATUS_WORDS}}</p>
  <dl class="facts">
    <div><dt>Leading the response</dt><dd id="commander"><strong>{{COMMANDER}}</strong>{{#HAS_COMMANDER_PHONE}}<br>Emergency line: {{COMMANDER_PHONE}}{{/HAS_COMMANDER_PHONE}}</dd></div>
{{#HAS_NEXT_UPDATE}}    <div><dt>Our next update</dt><dd id="next-update">by <strong>{{NEXT_UPDATE_AT}}</strong><br><span class="small">Why then: {{NEXT_UPDATE_REASON}}</span></dd></div>
{{/HAS_NEXT_UPDATE}}{{#RESOLVED}}    <div><dt>Resolved</dt><dd>{{RESOLVED_AT}}</dd></div>
{{/RESOLVED}}  </dl>
</header>
{{#HAS_FLASH}}<p class="notice notice--success" role="status">{{FLASH}}</p>
{{/HAS_FLASH}}<section class="panel" aria-labelledby="briefings-heading">
  <h2 id="briefings-heading">Updates</h2>
{{#NO_BRIEFINGS}}  <p class="muted">Our first update is on its way.</p>
{{/NO_BRIEFINGS}}{{#HAS_BRIEFINGS}}  <ol class="log" id="briefings" aria-label="Updates, newest first">
{{#BRIEFING}}    <li class="log__item briefing briefing--{{KIND}}">
      <div class="log__meta"><strong>{{AUTHOR}}</strong> <time class="log__time" datetime="{{ISO}}">{{TIME}}</time></div>
      <div class="log__body preformatted">{{BODY:p}}</div>
{{#HAS_NEXT}}      <p class="briefing__next">Next update by {{NEXT}} — {{NEXT_REASON}}</p>
{{/HAS_NEXT}}    </li>
{{/BRIEFING}}  </ol>
{{/HAS_BRIEFINGS}}</section>
{{#CAN_COMMENT}}<section class="panel panel--form" id="debrief" aria-labelledby="debrief-heading">
  <h2 id="debrief-heading">Your view for the debrief</h2>
  <p class="muted">We write down what happened and what we will change. Tell us how it affected you and how we handled it: it goes into the debrief as you wrote it.</p>
  <form method="post" action="/portal/incidents/{{ID}}/comments" class="stack" id="comment-form">
    <input type="hidden" name="csrf" value="{{CSRF}}">
    <div class="field">
      <label for="comment-body">Your view</label>
      <textarea id="comment-body" name="body" rows="5" maxlength="10000"{{#HAS_COMMENT_ERROR}} aria-invalid="true" aria-describedby="comment-error"{{/HAS_COMMENT_ERROR}}>{{COMMENT:p}}</textarea>
{{#HAS_COMMENT_ERROR}}      <p class="field-error" id="comment-error">{{COMMENT_ERROR}}</p>
{{/HAS_COMMENT_ERROR}}    </div>
    <div class="actions"><button type="submit" class="button button--primary">Add my view</button></div>
  </form>
</section>
{{/CAN_COMMENT}}
