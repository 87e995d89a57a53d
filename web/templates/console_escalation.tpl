{{%AUTOESCAPE context="HTML"}}<p class="breadcrumbs"><a href="/console/escalations">Escalations</a> › Escalation {{ID}}</p>
<div class="page-head">
  <div>
    <h1>{{SUMMARY}}</h1>
    <p><span class="alert-status alert-status--{{STATE_CLASS}}" id="escalation-state">{{STATE_LABEL}}</span> <span class="muted">{{STEP}}</span></p>
  </div>
{{#IS_OPEN}}  <form method="post" action="/console/escalations/{{ID}}/acknowledge" id="acknowledge-form">
    <input type="hidden" name="csrf" value="{{CSRF}}">
    <button type="submit" class="button button--primary">Acknowledge: I am on it</button>
  </form>{{/IS_OPEN}}
</div>
{{#HAS_FLASH}}<p class="notice notice--success" role="status">{{FLASH}}</p>{{/HAS_FLASH}}
{{#HAS_NOTICE}}<p class="notice notice--warning" role="alert" id="escalation-notice">{{NOTICE}}</p>{{/HAS_NOTICE}}
<section class="panel" aria-label="About this escalation">
  <dl class="facts">
    <div><dt>What</dt><dd>{{#HAS_WHAT}}<a href="{{WHAT_URL}}">{{WHAT_LABEL}}</a>{{/HAS_WHAT}} <span class="muted">{{SEVERITY}}</span></dd></div>
    <div><dt>Policy</dt><dd><a href="/console/escalation-policies#policy-{{POLICY_ID}}">{{POLICY}}</a></dd></div>
    <div><dt>Started</dt><dd><time datetime="{{STARTED_ISO}}">{{STARTED}}</time></dd></div>
{{#HAS_ACKNOWLEDGED}}    <div><dt>Acknowledged</dt><dd id="acknowledged-by">{{ACKNOWLEDGED}}</dd></div>{{/HAS_ACKNOWLEDGED}}
{{#HAS_ENDED}}    <div><dt>Ended</dt><dd>{{ENDED}}</dd></div>{{/HAS_ENDED}}
  </dl>
</section>
<div class="paging-layout">
<section class="panel" aria-labelledby="log-heading" id="log">
  <h2 id="log-heading">What happened</h2>
{{#NO_EVENTS}}  <p class="muted">Nothing yet.</p>{{/NO_EVENTS}}
{{#HAS_EVENTS}}  <ol class="timeline">
{{#EVENT}}    <li class="timeline__item timeline__item--{{KIND}}"><span class="timeline__detail">{{TEXT}}</span><span class="timeline__time">{{TIME}}</span></li>
{{/EVENT}}  </ol>{{/HAS_EVENTS}}
</section>
<section class="panel" aria-labelledby="pages-heading" id="pages">
  <h2 id="pages-heading">Pages</h2>
{{#NO_PAGES}}  <p class="muted">Nobody has been paged.</p>{{/NO_PAGES}}
{{#HAS_PAGES}}  <ul class="paging-list">
{{#PAGE}}    <li class="paging-item"><span class="paging-item__what"><strong>{{WHO}}</strong> <span class="muted small">{{STEP}}</span></span><span class="timeline__time">{{WHEN}}</span></li>
{{/PAGE}}  </ul>{{/HAS_PAGES}}
</section>
</div>
