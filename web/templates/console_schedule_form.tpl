{{%AUTOESCAPE context="HTML"}}<p class="breadcrumbs"><a href="/console/on-call">On call</a> › {{#EDITING}}<a href="/console/schedules/{{ID}}">{{CURRENT_NAME}}</a> › Edit{{/EDITING}}{{#CREATING}}New schedule{{/CREATING}}</p>
<div class="page-head">
  <div>
    <h1>{{HEADING}}</h1>
    <p class="muted">Rotations take turns in the schedule's time zone. A later layer wins over an earlier one while it is
      active, so put round-the-clock cover first and the exceptions after it.</p>
  </div>
</div>
{{#HAS_ERROR}}<p class="notice notice--error" role="alert" id="form-error">{{ERROR}}</p>{{/HAS_ERROR}}
<form method="post" action="{{ACTION}}" class="panel panel--form stack schedule-form" id="schedule-form">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <div class="field-row">
    <div class="field">
      <label for="schedule-name">Name</label>
      <input type="text" id="schedule-name" name="name" value="{{NAME}}" maxlength="100" required{{#HAS_NAME_ERROR}} aria-invalid="true" aria-describedby="schedule-name-error"{{/HAS_NAME_ERROR}}>
{{#HAS_NAME_ERROR}}      <p class="field-error" id="schedule-name-error">{{NAME_ERROR}}</p>{{/HAS_NAME_ERROR}}
    </div>
    <div class="field">
      <label for="schedule-zone">Time zone</label>
      <input type="text" id="schedule-zone" name="time_zone" value="{{TIME_ZONE}}" list="zones" required autocomplete="off"{{#HAS_TIME_ZONE_ERROR}} aria-invalid="true" aria-describedby="schedule-zone-error"{{/HAS_TIME_ZONE_ERROR}}>
      <datalist id="zones">
{{#ZONE_OPTION}}        <option value="{{VALUE}}"></option>
{{/ZONE_OPTION}}      </datalist>
      <p class="hint">An IANA name such as Europe/Berlin or America/New_York.</p>
{{#HAS_TIME_ZONE_ERROR}}      <p class="field-error" id="schedule-zone-error">{{TIME_ZONE_ERROR}}</p>{{/HAS_TIME_ZONE_ERROR}}
    </div>
  </div>
{{#LAYER}}
  <fieldset class="layer-block" id="layer-{{N}}">
    <legend>Layer {{N}}{{#OPTIONAL}} <span class="muted small">(optional; leave empty to skip)</span>{{/OPTIONAL}}</legend>
    <div class="field-row">
      <div class="field">
        <label for="layer{{N}}-name">Layer name</label>
        <input type="text" id="layer{{N}}-name" name="layer{{N}}_name" value="{{LAYER_NAME}}" placeholder="Primary">
      </div>
      <div class="field">
        <label for="layer{{N}}-start">First hand-off (local time)</label>
        <input type="datetime-local" id="layer{{N}}-start" name="layer{{N}}_start" value="{{START}}"{{#HAS_START_ERROR}} aria-invalid="true" aria-describedby="layer{{N}}-start-error"{{/HAS_START_ERROR}}>
{{#HAS_START_ERROR}}        <p class="field-error" id="layer{{N}}-start-error">{{START_ERROR}}</p>{{/HAS_START_ERROR}}
      </div>
    </div>
    <div class="field">
      <label for="layer{{N}}-participants">People, in turn order</label>
      <textarea id="layer{{N}}-participants" name="layer{{N}}_participants" rows="3" aria-describedby="layer{{N}}-participants-hint{{#HAS_PARTICIPANTS_ERROR}} layer{{N}}-participants-error{{/HAS_PARTICIPANTS_ERROR}}"{{#HAS_PARTICIPANTS_ERROR}} aria-invalid="true"{{/HAS_PARTICIPANTS_ERROR}}>{{PARTICIPANTS:p}}</textarea>
      <p class="hint" id="layer{{N}}-participants-hint">One staff email address per line.</p>
{{#HAS_PARTICIPANTS_ERROR}}      <p class="field-error" id="layer{{N}}-participants-error">{{PARTICIPANTS_ERROR}}</p>{{/HAS_PARTICIPANTS_ERROR}}
    </div>
    <div class="field-row">
      <div class="field">
        <label for="layer{{N}}-length">Hand-off</label>
        <select id="layer{{N}}-length" name="layer{{N}}_length"{{#HAS_LENGTH_ERROR}} aria-invalid="true"{{/HAS_LENGTH_ERROR}}>
{{#LENGTH_OPTION}}          <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/LENGTH_OPTION}}        </select>
{{#HAS_LENGTH_ERROR}}        <p class="field-error">{{LENGTH_ERROR}}</p>{{/HAS_LENGTH_ERROR}}
      </div>
      <div class="field">
        <label for="layer{{N}}-hours">Shift length in hours (custom only)</label>
        <input type="number" id="layer{{N}}-hours" name="layer{{N}}_hours" value="{{HOURS}}" min="1" max="8784"{{#HAS_HOURS_ERROR}} aria-invalid="true" aria-describedby="layer{{N}}-hours-error"{{/HAS_HOURS_ERROR}}>
{{#HAS_HOURS_ERROR}}        <p class="field-error" id="layer{{N}}-hours-error">{{HOURS_ERROR}}</p>{{/HAS_HOURS_ERROR}}
      </div>
    </div>
    <div class="field">
      <label for="layer{{N}}-restrictions">Active only</label>
      <input type="text" id="layer{{N}}-restrictions" name="layer{{N}}_restrictions" value="{{RESTRICTIONS}}" placeholder="Mon-Fri 18:00-08:00; Sat-Sun 00:00-24:00" aria-describedby="layer{{N}}-restrictions-hint{{#HAS_RESTRICTIONS_ERROR}} layer{{N}}-restrictions-error{{/HAS_RESTRICTIONS_ERROR}}"{{#HAS_RESTRICTIONS_ERROR}} aria-invalid="true"{{/HAS_RESTRICTIONS_ERROR}}>
      <p class="hint" id="layer{{N}}-restrictions-hint">Empty: round the clock. A period ending before it starts runs overnight.</p>
{{#HAS_RESTRICTIONS_ERROR}}      <p class="field-error" id="layer{{N}}-restrictions-error">{{RESTRICTIONS_ERROR}}</p>{{/HAS_RESTRICTIONS_ERROR}}
    </div>
  </fieldset>
{{/LAYER}}
{{#HAS_STAFF}}  <details class="staff-list">
    <summary>Staff who can be on call</summary>
    <ul>
{{#STAFF}}      <li>{{NAME}} · <code>{{EMAIL}}</code></li>
{{/STAFF}}    </ul>
  </details>{{/HAS_STAFF}}
  <div class="actions">
    <button type="submit" class="button button--primary">{{SUBMIT}}</button>
    <a class="button button--quiet" href="{{CANCEL}}">Cancel</a>
  </div>
</form>
