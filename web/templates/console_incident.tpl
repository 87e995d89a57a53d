{{%AUTOESCAPE context="HTML"}}<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/console/incidents">Incidents</a> <span aria-hidden="true">/</span> #{{ID}}</nav>
<div class="incident-room" id="incident-room"{{#LIVE}} data-incident-events="{{EVENTS_URL}}"{{/LIVE}}>
{{#HAS_FLASH}}<p class="notice notice--success" role="status">{{FLASH}}</p>
{{/HAS_FLASH}}<div class="live-region" id="incident-summary" data-live="/console/incidents/{{ID}}/fragment/summary">
{{>SUMMARY}}
</div>
{{#LIVE}}<p class="live-status muted small" id="live-status" role="status">This page shows what others post as they post it.</p>
{{/LIVE}}{{#RESOLVED}}<p class="notice notice--info" id="resolved-notice">The incident is resolved. Reopen it to post again; the <a href="/console/incidents/{{ID}}/debrief">debrief</a> is drafted from the timeline.</p>
{{/RESOLVED}}<div class="channels">
  <section class="panel channel channel--technical" id="technical" aria-labelledby="technical-heading">
    <h2 id="technical-heading">Technical log</h2>
    <p class="muted small">For the responders: notes, commands, findings, links. Customers never see it.</p>
{{#CAN_POST}}    <form method="post" action="/console/incidents/{{ID}}/updates" class="stack channel-form" id="note-form">
      <input type="hidden" name="csrf" value="{{CSRF}}">
      <input type="hidden" name="channel" value="technical">
{{#HAS_NOTE_ERROR}}      <p class="field-error" role="alert" id="note-error">{{NOTE_ERROR}}</p>
{{/HAS_NOTE_ERROR}}      <div class="field">
        <label for="note-body">Note</label>
        <textarea id="note-body" name="body" rows="3" maxlength="20000" placeholder="Ran: SELECT count(*) FROM orders WHERE … → 0 since 07:02"{{#HAS_NOTE_BODY_ERROR}} aria-invalid="true" aria-describedby="note-body-error"{{/HAS_NOTE_BODY_ERROR}}>{{NOTE_BODY:p}}</textarea>
{{#HAS_NOTE_BODY_ERROR}}        <p class="field-error" id="note-body-error">{{NOTE_BODY_ERROR}}</p>
{{/HAS_NOTE_BODY_ERROR}}      </div>
      <div class="actions"><button type="submit" class="button button--primary">Add to the log</button></div>
    </form>
{{/CAN_POST}}    <div class="live-region" id="technical-log" data-live="/console/incidents/{{ID}}/fragment/technical">
{{>TECHNICAL}}
    </div>
  </section>
  <section class="panel channel channel--business" id="business" aria-labelledby="business-heading">
    <h2 id="business-heading">Business channel</h2>
    <p class="muted small">Briefings for the affected customers, in plain language: impact, what is being done, workaround, ETA. Each reaches every linked ticket's requester and says when the next one comes, and why then.</p>
{{#CAN_POST}}    <div class="briefing-templates" id="briefing-templates">
      <span class="muted small">Start from:</span>
      <a class="button button--small button--quiet" href="/console/incidents/{{ID}}?template=investigating#briefing-form">Investigating</a>
      <a class="button button--small button--quiet" href="/console/incidents/{{ID}}?template=identified#briefing-form">Identified</a>
      <a class="button button--small button--quiet" href="/console/incidents/{{ID}}?template=workaround#briefing-form">Workaround</a>
      <a class="button button--small button--quiet" href="/console/incidents/{{ID}}?template=still_working#briefing-form">Still working, no news</a>
      <form method="post" action="/console/incidents/{{ID}}/still-working" class="inline-form" id="still-working-form">
        <input type="hidden" name="csrf" value="{{CSRF}}">
        <button type="submit" class="button button--small">Send “still working, no news” now</button>
      </form>
    </div>
    <form method="post" action="/console/incidents/{{ID}}/updates" class="stack channel-form" id="briefing-form">
      <input type="hidden" name="csrf" value="{{CSRF}}">
      <input type="hidden" name="channel" value="business">
{{#PREFILLED}}      <p class="hint">Filled in from a template: complete it before you send it.</p>
{{/PREFILLED}}{{#HAS_BRIEFING_ERROR}}      <p class="field-error" role="alert" id="briefing-error">{{BRIEFING_ERROR}}</p>
{{/HAS_BRIEFING_ERROR}}      <div class="field">
        <label for="briefing-body">Briefing</label>
        <textarea id="briefing-body" name="body" rows="5" maxlength="20000"{{#HAS_BRIEFING_BODY_ERROR}} aria-invalid="true" aria-describedby="briefing-body-error"{{/HAS_BRIEFING_BODY_ERROR}}>{{BRIEFING_BODY:p}}</textarea>
{{#HAS_BRIEFING_BODY_ERROR}}        <p class="field-error" id="briefing-body-error">{{BRIEFING_BODY_ERROR}}</p>
{{/HAS_BRIEFING_BODY_ERROR}}      </div>
      <fieldset class="next-update-fields{{#HAS_NEXT_UPDATE_ERROR}} has-error{{/HAS_NEXT_UPDATE_ERROR}}" id="next-update-fields">
        <legend>Next update</legend>
        <div class="field-row">
          <div class="field">
            <label for="briefing-at">By (UTC)</label>
            <input type="datetime-local" id="briefing-at" name="next_update_at" value="{{NEXT_UPDATE_AT}}" aria-describedby="briefing-at-hint{{#HAS_NEXT_UPDATE_ERROR}} briefing-at-error{{/HAS_NEXT_UPDATE_ERROR}}"{{#HAS_NEXT_UPDATE_ERROR}} aria-invalid="true"{{/HAS_NEXT_UPDATE_ERROR}}>
          </div>
          <div class="field">
            <label for="briefing-in">or in</label>
            <select id="briefing-in" name="next_update_in">
{{#IN_OPTION}}              <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/IN_OPTION}}            </select>
          </div>
        </div>
        <p class="hint" id="briefing-at-hint">Times are in UTC; it is {{NOW_UTC}} UTC now.</p>
{{#HAS_NEXT_UPDATE_ERROR}}        <p class="field-error" id="briefing-at-error">{{NEXT_UPDATE_ERROR}}</p>
{{/HAS_NEXT_UPDATE_ERROR}}        <div class="field">
          <label for="briefing-reason">Why then</label>
          <input type="text" id="briefing-reason" name="next_update_reason" value="{{NEXT_UPDATE_REASON}}" maxlength="500" placeholder="the database restore finishes around 18:45"{{#HAS_NEXT_UPDATE_REASON_ERROR}} aria-invalid="true" aria-describedby="briefing-reason-error"{{/HAS_NEXT_UPDATE_REASON_ERROR}}>
{{#HAS_NEXT_UPDATE_REASON_ERROR}}          <p class="field-error" id="briefing-reason-error">{{NEXT_UPDATE_REASON_ERROR}}</p>
{{/HAS_NEXT_UPDATE_REASON_ERROR}}        </div>
      </fieldset>
      <div class="actions"><button type="submit" class="button button--primary">Send briefing</button></div>
    </form>
{{/CAN_POST}}    <div class="live-region" id="business-log" data-live="/console/incidents/{{ID}}/fragment/business">
{{>BUSINESS}}
    </div>
  </section>
</div>
<div class="room-grid">
  <section class="panel" id="steps" aria-labelledby="steps-heading">
    <h2 id="steps-heading">Diagnostic steps</h2>
    <div class="live-region" id="steps-list" data-live="/console/incidents/{{ID}}/fragment/steps">
{{>STEPS}}
    </div>
{{#CAN_POST}}    <form method="post" action="/console/incidents/{{ID}}/steps" class="stack room-form" id="step-form">
      <input type="hidden" name="csrf" value="{{CSRF}}">
      <h3>Add a step</h3>
{{#HAS_STEP_ERROR}}      <p class="field-error" role="alert" id="step-error">{{STEP_ERROR}}</p>
{{/HAS_STEP_ERROR}}      <div class="field">
        <label for="step-title">Theory or step</label>
        <input type="text" id="step-title" name="title" value="{{STEP_TITLE}}" maxlength="300" placeholder="Payment provider's certificate expired?"{{#HAS_STEP_TITLE_ERROR}} aria-invalid="true" aria-describedby="step-title-error"{{/HAS_STEP_TITLE_ERROR}}>
{{#HAS_STEP_TITLE_ERROR}}        <p class="field-error" id="step-title-error">{{STEP_TITLE_ERROR}}</p>
{{/HAS_STEP_TITLE_ERROR}}      </div>
      <div class="field">
        <label for="step-owner">Owner</label>
        <select id="step-owner" name="owner_id"{{#HAS_STEP_OWNER_ERROR}} aria-invalid="true" aria-describedby="step-owner-error"{{/HAS_STEP_OWNER_ERROR}}>
{{#OWNER_OPTION}}          <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/OWNER_OPTION}}        </select>
{{#HAS_STEP_OWNER_ERROR}}        <p class="field-error" id="step-owner-error">{{STEP_OWNER_ERROR}}</p>
{{/HAS_STEP_OWNER_ERROR}}      </div>
      <div class="field-row">
        <div class="field">
          <label for="step-deadline">Deadline (UTC)</label>
          <input type="datetime-local" id="step-deadline" name="deadline_at" value="{{STEP_DEADLINE}}"{{#HAS_STEP_DEADLINE_ERROR}} aria-invalid="true" aria-describedby="step-deadline-error"{{/HAS_STEP_DEADLINE_ERROR}}>
        </div>
        <div class="field">
          <label for="step-in">or in</label>
          <select id="step-in" name="deadline_in">
{{#STEP_IN}}{{#IN_OPTION}}            <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/IN_OPTION}}{{/STEP_IN}}          </select>
        </div>
      </div>
{{#HAS_STEP_DEADLINE_ERROR}}      <p class="field-error" id="step-deadline-error">{{STEP_DEADLINE_ERROR}}</p>
{{/HAS_STEP_DEADLINE_ERROR}}      <div class="actions"><button type="submit" class="button">Add step</button></div>
    </form>
{{/CAN_POST}}  </section>
  <section class="panel" id="links" aria-labelledby="links-heading">
    <h2 id="links-heading">Tickets and alerts</h2>
    <div class="live-region" id="links-list" data-live="/console/incidents/{{ID}}/fragment/links">
{{>LINKS}}
    </div>
{{#CAN_POST}}    <form method="post" action="/console/incidents/{{ID}}/tickets" class="stack room-form" id="link-form">
      <input type="hidden" name="csrf" value="{{CSRF}}">
{{#HAS_LINK_ERROR}}      <p class="field-error" role="alert" id="link-error">{{LINK_ERROR}}</p>
{{/HAS_LINK_ERROR}}      <div class="field">
        <label for="link-ref">Link a ticket</label>
        <div class="inline-fields">
          <input type="text" id="link-ref" name="ref" value="{{LINK_REF}}" maxlength="20" placeholder="LL-1042" autocomplete="off"{{#HAS_LINK_REF_ERROR}} aria-invalid="true" aria-describedby="link-ref-error"{{/HAS_LINK_REF_ERROR}}>
          <button type="submit" class="button">Link</button>
        </div>
{{#HAS_LINK_REF_ERROR}}        <p class="field-error" id="link-ref-error">{{LINK_REF_ERROR}}</p>
{{/HAS_LINK_REF_ERROR}}      </div>
    </form>
{{#HAS_ALERT_OPTIONS}}    <form method="post" action="/console/incidents/{{ID}}/alerts" class="stack room-form" id="alert-form">
      <input type="hidden" name="csrf" value="{{CSRF}}">
{{#HAS_ALERT_ERROR}}      <p class="field-error" role="alert" id="alert-error">{{ALERT_ERROR}}</p>
{{/HAS_ALERT_ERROR}}      <div class="field">
        <label for="alert-select">Link an open alert</label>
        <div class="inline-fields">
          <select id="alert-select" name="alert_id">
{{#ALERT_OPTION}}            <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/ALERT_OPTION}}          </select>
          <button type="submit" class="button">Link</button>
        </div>
      </div>
    </form>
{{/HAS_ALERT_OPTIONS}}{{/CAN_POST}}  </section>
  <section class="panel" id="people" aria-labelledby="people-heading">
    <h2 id="people-heading">People</h2>
{{#HAS_STAFF_ERROR}}    <p class="field-error" role="alert">The team could not be listed: {{STAFF_ERROR}}</p>
{{/HAS_STAFF_ERROR}}{{#HAS_STAFF}}    <form method="post" action="/console/incidents/{{ID}}/handover" class="stack room-form" id="handover-form">
      <input type="hidden" name="csrf" value="{{CSRF}}">
      <h3>Hand over command</h3>
      <p class="hint">{{COMMANDER}} is the commander. There is exactly one; handing over is logged.</p>
{{#HAS_HANDOVER_ERROR}}      <p class="field-error" role="alert" id="handover-error">{{HANDOVER_ERROR}}</p>
{{/HAS_HANDOVER_ERROR}}      <div class="field">
        <label for="handover-user">New commander</label>
        <select id="handover-user" name="user_id"{{#HAS_HANDOVER_USER_ERROR}} aria-invalid="true" aria-describedby="handover-user-error"{{/HAS_HANDOVER_USER_ERROR}}>
          <option value="">Choose…</option>
{{#HANDOVER_OPTION}}          <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/HANDOVER_OPTION}}        </select>
{{#HAS_HANDOVER_USER_ERROR}}        <p class="field-error" id="handover-user-error">{{HANDOVER_USER_ERROR}}</p>
{{/HAS_HANDOVER_USER_ERROR}}      </div>
      <div class="field">
        <label for="handover-note">Note <span class="muted small">(optional)</span></label>
        <input type="text" id="handover-note" name="note" value="{{HANDOVER_NOTE}}" maxlength="1000" placeholder="end of my shift; Priya has the context">
      </div>
      <div class="actions"><button type="submit" class="button">Hand over</button></div>
    </form>
    <form method="post" action="/console/incidents/{{ID}}/roles" class="room-form role-form" id="communications-form">
      <input type="hidden" name="csrf" value="{{CSRF}}">
      <input type="hidden" name="role" value="communications">
      <label for="communications-user">Communications lead</label>
      <div class="inline-fields">
        <select id="communications-user" name="user_id">
{{#COMMUNICATIONS_OPTION}}          <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/COMMUNICATIONS_OPTION}}        </select>
        <button type="submit" class="button button--small">Set</button>
      </div>
{{#HAS_COMMUNICATIONS_ERROR}}      <p class="field-error" role="alert">{{COMMUNICATIONS_ERROR}}</p>
{{/HAS_COMMUNICATIONS_ERROR}}    </form>
    <form method="post" action="/console/incidents/{{ID}}/roles" class="room-form role-form" id="technical-lead-form">
      <input type="hidden" name="csrf" value="{{CSRF}}">
      <input type="hidden" name="role" value="technical">
      <label for="technical-user">Technical lead</label>
      <div class="inline-fields">
        <select id="technical-user" name="user_id">
{{#TECHNICAL_OPTION}}          <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/TECHNICAL_OPTION}}        </select>
        <button type="submit" class="button button--small">Set</button>
      </div>
{{#HAS_TECHNICAL_ERROR}}      <p class="field-error" role="alert">{{TECHNICAL_ERROR}}</p>
{{/HAS_TECHNICAL_ERROR}}    </form>
{{/HAS_STAFF}}  </section>
{{#ASSESS}}  <section class="panel" id="assessment" aria-labelledby="assessment-heading">
    <h2 id="assessment-heading">Impact assessment</h2>
    <form method="post" action="/console/incidents/{{ID}}/assessment" class="stack room-form" id="assess-form">
      <input type="hidden" name="csrf" value="{{CSRF}}">
{{#HAS_ASSESS_ERROR}}      <p class="field-error" role="alert" id="assess-error">{{ASSESS_ERROR}}</p>
{{/HAS_ASSESS_ERROR}}{{>IMPACT}}
      <div class="actions"><button type="submit" class="button">Re-assess</button></div>
    </form>
  </section>
{{/ASSESS}}</div>
</div>
<script src="/static/incident-room.js?v={{SCRIPT_VERSION}}" defer></script>
