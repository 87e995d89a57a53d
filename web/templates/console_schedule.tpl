{{%AUTOESCAPE context="HTML"}}<p class="breadcrumbs"><a href="/console/on-call">On call</a> › {{NAME}}</p>
<div class="page-head">
  <div>
    <h1>{{NAME}}</h1>
    <p class="muted">Times are shown in <strong>{{ZONE}}</strong> ({{ZONE_NOW}} now).</p>
  </div>
{{#CAN_EDIT}}  <a class="button" href="/console/schedules/{{ID}}/edit">Edit schedule</a>{{/CAN_EDIT}}
</div>
{{#HAS_FLASH}}<p class="notice notice--success" role="status">{{FLASH}}</p>{{/HAS_FLASH}}
{{#HAS_FEED}}
<section class="notice notice--info feed-once" id="feed-url" aria-labelledby="feed-heading">
  <h2 id="feed-heading">Calendar address</h2>
  <p>Subscribe to this address in a calendar app. It is shown only this once and works without signing in, so keep
    it secret; creating a new one turns this one off.</p>
  <label for="feed-address">Everyone's shifts</label>
  <input type="text" id="feed-address" class="feed-once__url" readonly value="{{FEED_URL}}">
{{#HAS_PERSON_FEEDS}}  <p class="small">One person's shifts only:</p>
  <ul class="feed-once__people">
{{#PERSON_FEED}}    <li>{{NAME}}: <code>{{URL}}</code></li>
{{/PERSON_FEED}}  </ul>{{/HAS_PERSON_FEEDS}}
</section>
{{/HAS_FEED}}
<section class="panel oncall-summary{{#NOBODY}} oncall-summary--nobody{{/NOBODY}}" aria-label="On call now">
{{#ON_CALL}}  <p class="oncall-now"><span class="oncall-now__label">On call now</span>
    <strong class="oncall-now__name">{{PERSON}}</strong>{{#IS_COVER}} <span class="tag">cover</span>{{/IS_COVER}} <span class="muted">{{UNTIL}}</span></p>{{/ON_CALL}}
{{#NOBODY}}  <p class="oncall-now oncall-now--nobody"><span class="oncall-now__label">On call now</span>
    <strong class="oncall-now__name">Nobody</strong></p>{{/NOBODY}}
{{#HAS_NEXT}}  <p class="oncall-card__next">Next: <strong>{{NEXT}}</strong> from {{NEXT_START}}</p>{{/HAS_NEXT}}
</section>
{{#HAS_GAPS}}
<div class="notice notice--error gap-banner" role="alert" id="gap-banner">
  <p class="gap-banner__title"><strong>Gaps in the next 7 days: nobody would be paged.</strong></p>
  <ul class="gap-banner__list">
{{#GAP}}    <li>{{TEXT}}</li>
{{/GAP}}  </ul>
</div>
{{/HAS_GAPS}}
<div class="schedule-layout">
  <section class="panel" aria-labelledby="days-heading">
    <h2 id="days-heading">Next 14 days</h2>
    <ol class="days" id="days">
{{#DAY}}      <li class="day">
        <h3 class="day__name">{{LABEL}}</h3>
        <table class="shifts">
          <caption class="visually-hidden">Who is on call on {{LABEL}}</caption>
          <tbody>
{{#SHIFT}}            <tr class="shift{{#IS_GAP}} shift--gap{{/IS_GAP}}">
              <td class="shift__time">{{FROM}}–{{TO}}</td>
              <td class="shift__who">{{#IS_GAP}}<strong>Nobody on call</strong>{{/IS_GAP}}{{#IS_PERSON}}{{PERSON}}{{/IS_PERSON}} <span class="muted small">{{ORIGIN}}</span></td>
            </tr>
{{/SHIFT}}          </tbody>
        </table>
      </li>
{{/DAY}}    </ol>
  </section>
  <div class="schedule-side">
    <section class="panel" aria-labelledby="layers-heading">
      <h2 id="layers-heading">Rotations</h2>
      <p class="hint">Later layers win over earlier ones while they are active.</p>
{{#NO_LAYERS}}      <p class="muted">No rotations: only cover puts someone on call.</p>{{/NO_LAYERS}}
{{#LAYER}}      <article class="layer">
        <h3>{{NAME}}</h3>
        <dl class="layer__facts">
          <dt>Hand-off</dt><dd>{{ROTATION}}</dd>
          <dt>First hand-off</dt><dd>{{START}}</dd>
          <dt>Active</dt><dd>{{RESTRICTIONS}}</dd>
        </dl>
        <ol class="layer__people">
{{#PARTICIPANT}}          <li>{{NAME}}</li>
{{/PARTICIPANT}}        </ol>
      </article>
{{/LAYER}}    </section>
    <section class="panel" aria-labelledby="overrides-heading" id="overrides">
      <h2 id="overrides-heading">Cover (overrides)</h2>
      <p class="hint">Someone covers the schedule for a while, whoever the rotations say.</p>
{{#NO_OVERRIDES}}      <p class="muted">No cover arranged.</p>{{/NO_OVERRIDES}}
{{#HAS_OVERRIDES}}      <ul class="overrides">
{{#OVERRIDE}}        <li class="override{{#PAST}} override--past{{/PAST}}">
          <span class="override__who">{{NAME}}</span>
          <span class="override__when">{{SPAN}}{{#PAST}} (over){{/PAST}}</span>
{{#CAN_EDIT}}          <form method="post" action="/console/schedules/{{ID}}/overrides/{{INDEX}}/delete" class="inline-form">
            <input type="hidden" name="csrf" value="{{CSRF}}">
            <button type="submit" class="button button--quiet button--small">Remove</button>
          </form>{{/CAN_EDIT}}
        </li>
{{/OVERRIDE}}      </ul>{{/HAS_OVERRIDES}}
{{#CAN_EDIT}}
      <form method="post" action="/console/schedules/{{ID}}/overrides" class="stack override-form" id="override-form">
        <input type="hidden" name="csrf" value="{{CSRF}}">
        <h3>Add cover</h3>
{{#HAS_OVERRIDE_ERROR}}        <p class="notice notice--error" role="alert">{{OVERRIDE_ERROR}}</p>{{/HAS_OVERRIDE_ERROR}}
        <div class="field">
          <label for="override-user">Person</label>
          <select id="override-user" name="user"{{#HAS_USER_ERROR}} aria-invalid="true" aria-describedby="override-user-error"{{/HAS_USER_ERROR}}>
{{#STAFF_OPTION}}            <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/STAFF_OPTION}}          </select>
{{#HAS_USER_ERROR}}          <p class="field-error" id="override-user-error">{{USER_ERROR}}</p>{{/HAS_USER_ERROR}}
        </div>
        <div class="field">
          <label for="override-start">Start ({{ZONE}})</label>
          <input type="datetime-local" id="override-start" name="start" value="{{OVERRIDE_START}}" required{{#HAS_START_ERROR}} aria-invalid="true" aria-describedby="override-start-error"{{/HAS_START_ERROR}}>
{{#HAS_START_ERROR}}          <p class="field-error" id="override-start-error">{{START_ERROR}}</p>{{/HAS_START_ERROR}}
        </div>
        <div class="field">
          <label for="override-end">End ({{ZONE}})</label>
          <input type="datetime-local" id="override-end" name="end" value="{{OVERRIDE_END}}" required{{#HAS_END_ERROR}} aria-invalid="true" aria-describedby="override-end-error"{{/HAS_END_ERROR}}>
{{#HAS_END_ERROR}}          <p class="field-error" id="override-end-error">{{END_ERROR}}</p>{{/HAS_END_ERROR}}
        </div>
        <button type="submit" class="button button--primary">Add cover</button>
      </form>
{{/CAN_EDIT}}
    </section>
    <section class="panel" aria-labelledby="feed-form-heading">
      <h2 id="feed-form-heading">Calendar feed</h2>
      <p class="hint">A secret address calendar apps can subscribe to. Creating a new one turns the previous one off.</p>
      <form method="post" action="/console/schedules/{{ID}}/feed">
        <input type="hidden" name="csrf" value="{{CSRF}}">
        <button type="submit" class="button">Create calendar link</button>
      </form>
    </section>
{{#CAN_EDIT}}
    <section class="panel danger-zone" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete schedule</h2>
{{#HAS_DELETE_ERROR}}      <p class="field-error" role="alert">{{DELETE_ERROR}}</p>{{/HAS_DELETE_ERROR}}
      <form method="post" action="/console/schedules/{{ID}}/delete" class="stack">
        <input type="hidden" name="csrf" value="{{CSRF}}">
        <label class="choice"><input type="checkbox" name="confirm" value="yes"> Yes, delete “{{NAME}}” and its calendar feed</label>
        <button type="submit" class="button">Delete schedule</button>
      </form>
    </section>
{{/CAN_EDIT}}
  </div>
</div>
