{{%AUTOESCAPE context="HTML"}}<header class="incident-head incident-head--{{STATUS}}{{#OVERDUE}} is-overdue{{/OVERDUE}}">
  <p class="eyebrow">Incident #{{ID}} · declared {{DECLARED}}</p>
  <h1 class="incident-title">{{TITLE}}</h1>
  <div class="incident-head__grid">
{{#HAS_NEXT_UPDATE}}    <div class="next-update next-update--{{COUNTDOWN_CLASS}}" id="next-update">
      <p class="next-update__countdown"><span class="countdown countdown--{{COUNTDOWN_CLASS}}" data-countdown="{{COUNTDOWN_ISO}}" data-ahead="{{COUNTDOWN_AHEAD}}">{{COUNTDOWN}}</span></p>
      <p class="next-update__when">Customers were promised the next update by <strong>{{NEXT_UPDATE_AT}}</strong></p>
      <p class="next-update__reason">Why then: {{NEXT_UPDATE_REASON}}</p>
    </div>
{{/HAS_NEXT_UPDATE}}{{#NO_NEXT_UPDATE}}    <div class="next-update next-update--none" id="next-update">
      <p class="next-update__countdown">No update due</p>
      <p class="next-update__when">{{#RESOLVED}}Resolved {{RESOLVED_AT}}.{{/RESOLVED}}</p>
    </div>
{{/NO_NEXT_UPDATE}}    <dl class="facts incident-facts">
      <div><dt>Severity</dt><dd><span class="sev sev--{{SEVERITY_CLASS}}" id="incident-severity">{{SEVERITY}}</span> <span class="small">{{SEVERITY_REASON}}</span>{{#HAS_OVERRIDE}}<br><span class="small">Proposed {{PROPOSED}}; overridden: {{OVERRIDE}}</span>{{/HAS_OVERRIDE}}</dd></div>
      <div><dt>Status</dt><dd><span class="incident-status incident-status--{{STATUS}}" id="incident-status">{{STATUS_LABEL}}</span></dd></div>
      <div><dt>Commander</dt><dd id="commander"><strong>{{COMMANDER}}</strong>{{#HAS_COMMANDER_PHONE}}<br><span class="small">{{COMMANDER_PHONE}}</span>{{/HAS_COMMANDER_PHONE}}</dd></div>
      <div><dt>Leads</dt><dd class="small">Communications: {{COMMUNICATIONS_LEAD}}<br>Technical: {{TECHNICAL_LEAD}}</dd></div>
      <div><dt>Affected</dt><dd class="small">{{AFFECTED}}</dd></div>
      <div><dt>Time to</dt><dd class="small">acknowledge {{TTA}}<br>mitigate {{TTM}}<br>resolve {{TTR}}</dd></div>
    </dl>
  </div>
  <form method="post" action="/console/incidents/{{ID}}/status" class="lifecycle" id="status-form">
    <input type="hidden" name="csrf" value="{{CSRF}}">
    <ol class="lifecycle__steps" aria-label="Lifecycle">
{{#LIFECYCLE}}      <li class="lifecycle__step{{#CURRENT}} is-current{{/CURRENT}}{{#DONE}} is-done{{/DONE}}"{{#CURRENT}} aria-current="step"{{/CURRENT}}>{{LABEL}}</li>
{{/LIFECYCLE}}    </ol>
{{#HAS_STATUS_ERROR}}    <p class="field-error" role="alert" id="status-error">{{STATUS_ERROR}}</p>
{{/HAS_STATUS_ERROR}}    <div class="lifecycle__controls">
      <div class="field">
        <label for="status-note">Status note</label>
        <input type="text" id="status-note" name="note" value="{{STATUS_NOTE}}" maxlength="2000" aria-describedby="status-note-hint">
        <p class="hint" id="status-note-hint">{{NOTE_HINT}}</p>
      </div>
      <div class="actions">
{{#STATUS_BUTTON}}        <button type="submit" name="status" value="{{VALUE}}" class="button{{#PRIMARY}} button--primary{{/PRIMARY}}">{{LABEL}}</button>
{{/STATUS_BUTTON}}        <a class="button button--quiet" href="/console/incidents/{{ID}}/debrief">Debrief</a>
      </div>
    </div>
  </form>
</header>
