{{%AUTOESCAPE context="HTML"}}<div class="page-head">
  <div>
    <h1>Who is on call</h1>
    <p class="muted">Now: {{NOW}}. Each schedule's times are in its own time zone.</p>
  </div>
{{#CAN_EDIT}}  <a class="button button--primary" href="/console/schedules/new">New schedule</a>{{/CAN_EDIT}}
</div>
{{#HAS_FLASH}}<p class="notice notice--success" role="status">{{FLASH}}</p>{{/HAS_FLASH}}
{{#HAS_GAPS}}
<div class="notice notice--error gap-banner" role="alert" id="gap-banner">
  <p class="gap-banner__title"><strong>Gaps in the next 7 days: nobody would be paged.</strong></p>
  <ul class="gap-banner__list">
{{#GAP}}    <li><a href="/console/schedules/{{ID}}">{{SCHEDULE}}</a>: {{TEXT}}</li>
{{/GAP}}  </ul>
</div>
{{/HAS_GAPS}}
{{#EMPTY}}
<div class="panel empty">
  <h2>No schedules yet</h2>
  <p class="muted">A schedule says who is on call when: rotations, their hours, and cover for holidays.</p>
{{#CAN_EDIT}}  <p><a class="button button--primary" href="/console/schedules/new">Create the first schedule</a></p>{{/CAN_EDIT}}
</div>
{{/EMPTY}}
<div class="oncall-grid" id="on-call">
{{#SCHEDULE}}
  <section class="panel oncall-card{{#NOBODY}} oncall-card--nobody{{/NOBODY}}" aria-labelledby="schedule-{{ID}}" data-schedule="{{ID}}">
    <h2 id="schedule-{{ID}}" class="oncall-card__name"><a href="/console/schedules/{{ID}}">{{NAME}}</a></h2>
    <p class="muted small oncall-card__zone">Times in {{ZONE}}</p>
{{#ON_CALL}}
    <p class="oncall-now"><span class="oncall-now__label">On call now</span>
      <strong class="oncall-now__name">{{PERSON}}</strong>{{#IS_COVER}} <span class="tag">cover</span>{{/IS_COVER}}</p>
    <p class="oncall-card__until">{{UNTIL}}</p>
{{/ON_CALL}}
{{#NOBODY}}
    <p class="oncall-now oncall-now--nobody"><span class="oncall-now__label">On call now</span>
      <strong class="oncall-now__name">Nobody</strong></p>
{{/NOBODY}}
{{#HAS_NEXT}}    <p class="oncall-card__next">Next: <strong>{{NEXT}}</strong> from {{NEXT_START}}</p>{{/HAS_NEXT}}
{{#NO_NEXT}}    <p class="oncall-card__next muted">Nobody else is scheduled in the next six weeks.</p>{{/NO_NEXT}}
{{#HAS_CARD_GAPS}}    <p class="oncall-card__gaps"><a href="/console/schedules/{{ID}}">{{CARD_GAPS}}</a></p>{{/HAS_CARD_GAPS}}
  </section>
{{/SCHEDULE}}
</div>
