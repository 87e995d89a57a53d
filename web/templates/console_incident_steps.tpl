{{%AUTOESCAPE context="HTML"}}{{#NO_STEPS}}<p class="muted">No diagnostic steps yet. Give each theory an owner and a written deadline.</p>
{{/NO_STEPS}}{{#HAS_OPEN}}<ul class="steps" aria-label="Open steps">
{{#STEP}}  <li class="step{{#OVERDUE}} step--overdue{{/OVERDUE}}" id="step-{{STEP_ID}}">
    <p class="step__head"><strong class="step__title">{{TITLE}}</strong> <span class="muted small">· {{OWNER}}</span></p>
    <p class="step__deadline small">Deadline {{DEADLINE}} · <span class="countdown countdown--{{COUNTDOWN_CLASS}}" data-countdown="{{COUNTDOWN_ISO}}" data-ahead="{{COUNTDOWN_AHEAD}}">{{COUNTDOWN}}</span>{{#HAS_EXTENSIONS}} · extended {{EXTENSIONS}}×{{/HAS_EXTENSIONS}}</p>
{{#CAN_RECORD}}    <form method="post" action="/console/incidents/{{INCIDENT_ID}}/steps/{{STEP_ID}}/outcome" class="stack step__form">
      <input type="hidden" name="csrf" value="{{CSRF}}">
{{#HAS_STEP_ERROR}}      <p class="field-error" role="alert">{{STEP_ERROR}}</p>
{{/HAS_STEP_ERROR}}{{#HAS_OUTCOME_ERROR}}      <p class="field-error" role="alert">{{OUTCOME_ERROR}}</p>
{{/HAS_OUTCOME_ERROR}}      <div class="field">
        <label for="step-{{STEP_ID}}-note">Finding, or why it needs longer</label>
        <input type="text" id="step-{{STEP_ID}}-note" name="note" value="{{NOTE}}" maxlength="2000"{{#HAS_NOTE_ERROR}} aria-invalid="true" aria-describedby="step-{{STEP_ID}}-note-error"{{/HAS_NOTE_ERROR}}>
{{#HAS_NOTE_ERROR}}        <p class="field-error" id="step-{{STEP_ID}}-note-error">{{NOTE_ERROR}}</p>
{{/HAS_NOTE_ERROR}}      </div>
      <div class="field-row">
        <div class="field">
          <label for="step-{{STEP_ID}}-deadline">New deadline (UTC)</label>
          <input type="datetime-local" id="step-{{STEP_ID}}-deadline" name="new_deadline" value="{{NEW_DEADLINE}}"{{#HAS_NEW_DEADLINE_ERROR}} aria-invalid="true" aria-describedby="step-{{STEP_ID}}-deadline-error"{{/HAS_NEW_DEADLINE_ERROR}}>
        </div>
        <div class="field">
          <label for="step-{{STEP_ID}}-in">or in</label>
          <select id="step-{{STEP_ID}}-in" name="new_deadline_in">
{{#IN_OPTION}}            <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/IN_OPTION}}          </select>
        </div>
      </div>
{{#HAS_NEW_DEADLINE_ERROR}}      <p class="field-error" id="step-{{STEP_ID}}-deadline-error">{{NEW_DEADLINE_ERROR}}</p>
{{/HAS_NEW_DEADLINE_ERROR}}      <div class="actions">
        <button type="submit" name="outcome" value="confirmed" class="button button--small">Confirmed</button>
        <button type="submit" name="outcome" value="ruled_out" class="button button--small">Ruled out</button>
        <button type="submit" name="outcome" value="extend" class="button button--small button--quiet">Extend</button>
      </div>
    </form>
{{/CAN_RECORD}}  </li>
{{/STEP}}</ul>
{{/HAS_OPEN}}{{#HAS_CLOSED}}<h3 class="steps__closed-heading">Done</h3>
<ul class="steps steps--closed">
{{#CLOSED_STEP}}  <li class="step step--{{STATE}}"><strong>{{TITLE}}</strong> — {{STATE_LABEL}}{{#HAS_OUTCOME}}: {{OUTCOME}}{{/HAS_OUTCOME}} <span class="muted small">({{OWNER}})</span></li>
{{/CLOSED_STEP}}</ul>
{{/HAS_CLOSED}}
